import { HostTree } from '@angular-devkit/schematics';
import { UnitTestTree } from '@angular-devkit/schematics/testing';
import * as prettier from 'prettier';
import { JsonText, JsonValue, Layout } from '../src/workspace/json-edits';
import { PrintOptions, printOptionsFor } from '../src/workspace/prettier-options';
import { lineDiff } from './workspace-fixtures';

/**
 * Every edit of a prettier-clean file must leave it prettier-clean with the same options (what the
 * app's `prettier --check` gate asks on CLI 20 and 21.0, which run no prettier after schematics),
 * and change no line but the ones of the extended array or object.
 */
type Edit = (json: JsonText) => void;

async function clean(text: string, filepath: string, options: PrintOptions): Promise<string> {
  return prettier.format(text, { filepath, ...options });
}

async function edited(source: object | string, edit: Edit, options: Partial<PrintOptions> = {}, filepath = 'angular.json') {
  const print = { printWidth: 80, tabWidth: 2, useTabs: false, ...options };
  const before = await clean(typeof source === 'string' ? source : JSON.stringify(source, null, 2), filepath, print);
  const json = new JsonText(before, print, filepath === 'package.json');
  edit(json);
  const after = json.text;
  const formatted = await clean(after, filepath, print);
  return { before, after, formatted };
}

const append = (path: (string | number)[], values: JsonValue[], layout?: Layout): Edit => (json) => json.append(path, values, layout);
const insert = (path: string[], key: string, value: JsonValue, index?: number): Edit => (json) => json.insertProperty(path, key, value, index);

const collections = (list?: string[]) => ({ version: 1, cli: { packageManager: 'npm', ...(list ? { schematicCollections: list } : {}) }, projects: {} });

describe('JSON edits keep the form prettier gives the file', () => {
  const cases: [string, object | string, Edit, Partial<PrintOptions>?][] = [
    ['a one-line array that still fits', collections(['angular-eslint']), append(['cli', 'schematicCollections'], ['ngx-auth-renew']), { printWidth: 100 }],
    ['a one-line array that no longer fits', collections(['angular-eslint', '@ngrx/schematics']), append(['cli', 'schematicCollections'], ['ngx-auth-renew']), { printWidth: 60 }],
    ['a multi-line array', collections(['angular-eslint', '@ngrx/schematics', '@angular/material']), append(['cli', 'schematicCollections'], ['ngx-auth-renew']), { printWidth: 60 }],
    ['a missing array in an object', collections(), append(['cli', 'schematicCollections'], ['@schematics/angular', 'ngx-auth-renew'])],
    ['a missing array that does not fit', collections(), append(['cli', 'schematicCollections'], ['@schematics/angular', 'ngx-auth-renew']), { printWidth: 40 }],
    ['a missing object', { version: 1, projects: {} }, append(['cli', 'schematicCollections'], ['@schematics/angular', 'ngx-auth-renew'])],
    ['an empty array', { a: { assets: [] } }, append(['a', 'assets'], ['src/silent-renew.html', 'src/silent-renew.js'])],
    ['string entries, tabs', { a: { assets: ['src/favicon.ico', 'src/assets'] } }, append(['a', 'assets'], ['src/silent-renew.html', 'src/silent-renew.js']), { useTabs: true }],
    ['expanded object entries',
      '{ "a": { "assets": [\n{\n"glob": "**/*", "input": "src/assets", "output": "/assets" }\n] } }',
      append(['a', 'assets'], [{ glob: 'silent-renew.html', input: 'src' }, { glob: 'silent-renew.js', input: 'src' }], { expandObjects: true })],
    ['one-line object entries', { a: { assets: [{ glob: '**/*', input: 'src/assets', output: '/assets' }] } },
      append(['a', 'assets'], [{ glob: 'silent-renew.html', input: 'src' }, { glob: 'silent-renew.js', input: 'src' }])],
    ['a one-line object that fits', '{ "a": 1, "b": { "c": "d" } }', insert(['b'], 'e', 'f')],
    ['a one-line object that no longer fits', '{ "a": 1, "b": { "c": "some long value" } }', insert(['b'], 'e', 'another long value'), { printWidth: 40 }],
    ['a multi-line object, in the middle', '{\n"a": 1, "b": 2 }', insert([], 'ab', 'x', 1)],
    ['a missing assets array in options', '{\n"options": {\n"outputPath": "dist" } }', append(['options', 'assets'], ['src/silent-renew.html', 'src/silent-renew.js'])],
  ];
  for (const [name, source, edit, options] of cases) {
    it(name, async () => {
      const { before, after, formatted } = await edited(source, edit, options);
      expect(after).not.toBe(before);
      expect(after).toBe(formatted);
    });
  }

  it('a one-line array that fits keeps its line; only that line changes', async () => {
    const { before, after } = await edited(collections(['angular-eslint']), append(['cli', 'schematicCollections'], ['ngx-auth-renew']), { printWidth: 100 });
    expect(lineDiff(before, after)).toEqual({
      added: ['    "schematicCollections": ["angular-eslint", "ngx-auth-renew"]'],
      removed: ['    "schematicCollections": ["angular-eslint"]'],
    });
  });

  it('a multi-line array gets a line of its own, comments kept', async () => {
    const text = '{\n  "assets": [\n    "src/favicon.ico", // the icon\n    "src/assets"\n  ]\n}\n';
    const json = new JsonText(text, { printWidth: 80, tabWidth: 2, useTabs: false });
    json.append(['assets'], ['src/silent-renew.html']);
    expect(json.text).toBe('{\n  "assets": [\n    "src/favicon.ico", // the icon\n    "src/assets",\n    "src/silent-renew.html"\n  ]\n}\n');
    json.append(['assets'], ['src/silent-renew.js']);
    expect(json.text).toContain('    "src/silent-renew.html",\n    "src/silent-renew.js"\n  ]');
  });

  it('keeps CRLF line endings', async () => {
    const json = new JsonText('{\r\n  "cli": {\r\n    "packageManager": "npm"\r\n  }\r\n}\r\n', { printWidth: 80, tabWidth: 2, useTabs: false });
    json.append(['cli', 'schematicCollections'], ['@schematics/angular', 'ngx-auth-renew']);
    expect(json.text).toBe('{\r\n  "cli": {\r\n    "packageManager": "npm",\r\n    "schematicCollections": ["@schematics/angular", "ngx-auth-renew"]\r\n  }\r\n}\r\n');
  });

  describe('package.json (prettier prints it as JSON.stringify does)', () => {
    const manifest = { name: 'app', dependencies: { '@angular/core': '^22.0.0', rxjs: '~7.8.0' }, devDependencies: {} };
    const cases: [string, object, Edit][] = [
      ['a dependency in order', manifest, insert(['dependencies'], 'oauth4webapi', '^3.8.0', 1)],
      ['a dependency last', manifest, insert(['dependencies'], 'zod', '^4.0.0')],
      ['into an empty object', manifest, insert(['devDependencies'], 'jose', '^6.1.0')],
      ['a missing object', { name: 'app' }, insert(['dependencies'], 'jose', '^6.1.0')],
    ];
    for (const [name, source, edit] of cases) {
      it(name, async () => {
        const { before, after, formatted } = await edited(source, edit, {}, 'package.json');
        expect(after).not.toBe(before);
        expect(after).toBe(formatted);
      });
    }
  });
});

describe('printOptionsFor: the options prettier resolves for a file', () => {
  function tree(files: Record<string, string>): UnitTestTree {
    const t = new UnitTestTree(new HostTree());
    Object.entries(files).forEach(([path, text]) => t.create(path, text));
    return t;
  }

  it('defaults, then .editorconfig, then the nearest config and its overrides', () => {
    expect(printOptionsFor(tree({}), '/angular.json')).toEqual({ printWidth: 80, tabWidth: 2, useTabs: false });
    const editorconfig = '[*]\nindent_style = tab\ntab_width = 4\n[*.json]\nmax_line_length = 120\n[*.md]\nmax_line_length = off\n';
    expect(printOptionsFor(tree({ '/.editorconfig': editorconfig }), '/angular.json')).toEqual({ printWidth: 120, tabWidth: 4, useTabs: true });
    const rc = JSON.stringify({ printWidth: 100, overrides: [{ files: '*.json', options: { printWidth: 140 } }, { files: 'src/**/*.ts', options: { tabWidth: 3 } }] });
    const withRc = tree({ '/.editorconfig': editorconfig, '/.prettierrc': rc });
    expect(printOptionsFor(withRc, '/angular.json')).toEqual({ printWidth: 140, tabWidth: 4, useTabs: true });
    expect(printOptionsFor(withRc, '/src/app/app.config.ts')).toEqual({ printWidth: 100, tabWidth: 3, useTabs: true });
  });

  it('the "prettier" key of package.json (Angular CLI 20), YAML and JS configs', () => {
    expect(printOptionsFor(tree({ '/package.json': '{ "prettier": { "printWidth": 100 } }' }), '/angular.json').printWidth).toBe(100);
    expect(printOptionsFor(tree({ '/.prettierrc.yaml': 'printWidth: 90\nsingleQuote: true\n' }), '/angular.json').printWidth).toBe(90);
    expect(printOptionsFor(tree({ '/prettier.config.mjs': 'export default {\n  printWidth: 110,\n};\n' }), '/angular.json').printWidth).toBe(110);
    // The package.json key is found first in a folder, as prettier searches.
    expect(printOptionsFor(tree({ '/package.json': '{ "prettier": { "printWidth": 100 } }', '/.prettierrc': '{ "printWidth": 60 }' }), '/angular.json').printWidth).toBe(100);
  });
});
