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
 * schematic writes). A formatter that fails on a text returns it as it is.
 */
export function workspaceFormatters(tree: Tree): Formatter[] {
  const asWritten: Formatter = async (text) => text;
  const prettier = workspacePrettier();
  if (!prettier) {
    return [asWritten];
  }
  const config = prettierConfig(tree);
  const withPrettier: Formatter = async (text, path) => {
    try {
      return await prettier.format(text, optionsFor(config, path));
    } catch {
      return text;
    }
  };
  return [asWritten, withPrettier];
}
