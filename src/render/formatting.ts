import { Tree } from '@angular-devkit/schematics';
import { parse } from 'jsonc-parser';

/** Formats one file's text the way a tool of the workspace would; `path` tells the language. */
export type Formatter = (text: string, path: string) => Promise<string>;

interface Prettier {
  format(text: string, options: Record<string, unknown>): Promise<string>;
}

interface PrettierConfig extends Record<string, unknown> {
  overrides?: { files: string | string[]; excludeFiles?: string | string[]; options?: Record<string, unknown> }[];
}

/** The workspace's own prettier (resolved from where the CLI runs), or undefined when it has none. */
function workspacePrettier(): Prettier | undefined {
  try {
    return require(require.resolve('prettier', { paths: [process.cwd()] })) as Prettier;
  } catch {
    return undefined;
  }
}

function readJson(tree: Tree, path: string): unknown {
  return tree.exists(path) ? parse(tree.readText(path), [], { allowTrailingComma: true }) : undefined;
}

/** The workspace's prettier options from .prettierrc(.json) or package.json's "prettier" (JSON forms). */
function prettierConfig(tree: Tree): PrettierConfig {
  for (const file of ['/.prettierrc', '/.prettierrc.json']) {
    const config = readJson(tree, file);
    if (config && typeof config === 'object') {
      return config as PrettierConfig;
    }
  }
  const manifest = readJson(tree, '/package.json') as { prettier?: unknown } | undefined;
  return typeof manifest?.prettier === 'object' && manifest.prettier ? manifest.prettier as PrettierConfig : {};
}

/** `*.html`, `src/**\/*.ts`-style globs of prettier's overrides, matched against a file name or path. */
function matches(globs: string | string[] | undefined, path: string): boolean {
  return [globs ?? []].flat().some((glob) => {
    const pattern = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\//g, '(?:.*/)?').replace(/\*/g, '[^/]*');
    const regex = new RegExp(`(^|/)${pattern}$`);
    return regex.test(path);
  });
}

function optionsFor(config: PrettierConfig, path: string): Record<string, unknown> {
  const { overrides, ...options } = config;
  for (const override of overrides ?? []) {
    if (matches(override.files, path) && !matches(override.excludeFiles, path)) {
      Object.assign(options, override.options);
    }
  }
  return { ...options, filepath: path };
}

/**
 * The ways a generated file may be formatted in this workspace: as written, and as the workspace's
 * prettier prints it with the workspace's options (what Angular CLI 21.2+ and 22 do to every file a
 * schematic writes). A formatter that fails on a text, or finds no prettier, returns it as it is.
 */
export function workspaceFormatters(tree: Tree): Formatter[] {
  const asWritten: Formatter = async (text) => text;
  // Loaded on first use: a run that merges nothing never loads prettier.
  let loaded: { prettier: Prettier | undefined; config: PrettierConfig } | undefined;
  const withPrettier: Formatter = async (text, path) => {
    loaded ??= { prettier: workspacePrettier(), config: prettierConfig(tree) };
    if (!loaded.prettier) {
      return text;
    }
    try {
      return await loaded.prettier.format(text, optionsFor(loaded.config, path));
    } catch {
      return text;
    }
  };
  return [asWritten, withPrettier];
}
