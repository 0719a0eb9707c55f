import { Tree } from '@angular-devkit/schematics';
import { parse } from 'jsonc-parser';

/**
 * The prettier options that decide where a JSON value breaks: what the workspace's `prettier
 * --check` expects of a line the schematics write. Angular CLI 21.2+ runs the workspace's prettier
 * over written files; CLI 20 and 21.0 do not, so the edits must already be in prettier's form.
 */
export interface PrintOptions {
  printWidth: number;
  tabWidth: number;
  useTabs: boolean;
}

const DEFAULTS: PrintOptions = { printWidth: 80, tabWidth: 2, useTabs: false };

type Options = Partial<Record<keyof PrintOptions, unknown>>;
interface Override { files?: string | string[]; excludeFiles?: string | string[]; options?: Options }
interface Config extends Options { overrides?: Override[] }

/** A glob of prettier's `overrides` or an .editorconfig section as a regular expression. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '{') source += '(?:';
    else if (c === '}') source += ')';
    else if (c === ',' && /\{[^}]*$/.test(glob.slice(0, i))) source += '|';
    else source += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/** As prettier and editorconfig match: a pattern without a slash matches the file name anywhere. */
function matches(patterns: string | string[] | undefined, relativePath: string): boolean {
  return ([] as string[]).concat(patterns ?? []).some((pattern) => {
    const glob = pattern.replace(/^\.?\//, '');
    return globToRegExp(glob).test(glob.includes('/') ? relativePath : relativePath.slice(relativePath.lastIndexOf('/') + 1));
  });
}

function pick(options: Options | undefined): Partial<PrintOptions> {
  const picked: Partial<PrintOptions> = {};
  if (typeof options?.printWidth === 'number') picked.printWidth = options.printWidth;
  if (typeof options?.tabWidth === 'number') picked.tabWidth = options.tabWidth;
  if (typeof options?.useTabs === 'boolean') picked.useTabs = options.useTabs;
  return picked;
}

/** `key: value` / `key = value` lines at the top level (YAML, TOML) and `key: literal` in a JS config. */
function scalarOptions(text: string): Options {
  const options: Options = {};
  for (const key of ['printWidth', 'tabWidth', 'useTabs'] as const) {
    const found = new RegExp(`^\\s*['"]?${key}['"]?\\s*[:=]\\s*(\\d+|true|false)\\b`, 'm').exec(text);
    if (found) options[key] = /\d/.test(found[1]) ? Number(found[1]) : found[1] === 'true';
  }
  return options;
}

const CONFIG_FILES = ['.prettierrc', '.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml', '.prettierrc.json5',
  '.prettierrc.js', 'prettier.config.js', '.prettierrc.ts', 'prettier.config.ts', '.prettierrc.mjs',
  'prettier.config.mjs', '.prettierrc.mts', 'prettier.config.mts', '.prettierrc.cjs', 'prettier.config.cjs',
  '.prettierrc.cts', 'prettier.config.cts', '.prettierrc.toml'];

/** The nearest prettier config of a folder and up (prettier's own search order), and its folder. */
function findConfig(tree: Tree, dir: string): { config: Config; dir: string } | undefined {
  for (let at = dir; ; at = at.slice(0, Math.max(at.lastIndexOf('/'), 0))) {
    if (tree.exists(`${at}/package.json`)) {
      const prettier = parse(tree.readText(`${at}/package.json`))?.prettier;
      if (prettier !== undefined) {
        return { config: typeof prettier === 'object' ? prettier : {}, dir: at };
      }
    }
    for (const name of CONFIG_FILES) {
      const path = `${at}/${name}`;
      if (!tree.exists(path)) continue;
      const text = tree.readText(path);
      const json = /\.(json5?)$|^\.prettierrc$/.test(name) ? parse(text) : undefined;
      return { config: json && typeof json === 'object' ? json : scalarOptions(text), dir: at };
    }
    if (!at) return undefined;
  }
}

/** The .editorconfig sections that apply to the file, read as prettier reads them. */
function editorConfig(tree: Tree, file: string): Partial<PrintOptions> {
  const text = tree.exists('/.editorconfig') ? tree.readText('/.editorconfig') : '';
  const result: Partial<PrintOptions> = {};
  let applies = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    const section = /^\[(.*)\]$/.exec(line);
    if (section) {
      applies = matches(section[1], file);
      continue;
    }
    const [key, value] = line.split('=').map((part) => part?.trim().toLowerCase());
    if (!applies || value === undefined) continue;
    if (key === 'max_line_length') result.printWidth = value === 'off' ? Infinity : Number(value) || result.printWidth;
    if (key === 'indent_style') result.useTabs = value === 'tab';
    if (key === 'indent_size' && Number(value)) result.tabWidth = Number(value);
    if (key === 'tab_width' && Number(value)) result.tabWidth = Number(value);
  }
  return result;
}

/**
 * printWidth, tabWidth and useTabs for a workspace file, as the prettier CLI resolves them: the
 * defaults, then .editorconfig, then the nearest prettier config and its matching overrides. A config
 * prettier would have to run (a .js config, a shared config by package name) is read for literal
 * values only.
 */
export function printOptionsFor(tree: Tree, file: string): PrintOptions {
  const path = file.replace(/^\/+/, '');
  const found = findConfig(tree, `/${path}`.slice(0, `/${path}`.lastIndexOf('/')));
  const options = { ...DEFAULTS, ...editorConfig(tree, path), ...pick(found?.config) };
  const relative = found ? path.slice(found.dir.replace(/^\/+/, '').length).replace(/^\//, '') : path;
  for (const override of found?.config.overrides ?? []) {
    if (matches(override.files, relative) && !matches(override.excludeFiles, relative)) {
      Object.assign(options, pick(override.options));
    }
  }
  return options;
}
