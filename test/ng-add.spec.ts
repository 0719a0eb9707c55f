import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { parse } from 'jsonc-parser';
import * as prettier from 'prettier';
import { BASE_OPTIONS, changedFiles, Fixture, loadFixture, runner, snapshot } from './workspace-fixtures';

describe('ng-add', () => {
  it('scaffolds, and registers the collection after @schematics/angular', async () => {
    const tree = await runner.runSchematic('ng-add', BASE_OPTIONS, loadFixture('ng22'));
    expect(tree.exists('/src/app/auth/auth.service.ts')).toBe(true);
    expect(parse(tree.readText('/angular.json')).cli.schematicCollections)
      .toEqual(['@schematics/angular', 'ngx-auth-renew']);
    expect(runner.tasks.filter((t) => t.name === 'node-package').length).toBe(1);
  });

  it('keeps collections the user already lists', async () => {
    const tree = loadFixture('ng22');
    tree.overwrite('/angular.json', tree.readText('/angular.json')
      .replace('"packageManager": "npm"', '"packageManager": "npm",\n    "schematicCollections": ["@angular-eslint/schematics"]'));
    const after = await runner.runSchematic('ng-add', BASE_OPTIONS, tree);
    expect(parse(after.readText('/angular.json')).cli.schematicCollections)
      .toEqual(['@angular-eslint/schematics', 'ngx-auth-renew']);
  });

  it('a second ng add changes nothing', async () => {
    const once = await runner.runSchematic('ng-add', { ...BASE_OPTIONS, renewal: 'iframe' }, loadFixture('ng22'));
    const first = snapshot(once);
    const twice = await runner.runSchematic('ng-add', { ...BASE_OPTIONS, renewal: 'iframe' }, once);
    expect(changedFiles(first, snapshot(twice))).toEqual([]);
    // No install and no next steps; only the provider check, which says in one line that it skips id.example.com.
    expect(runner.tasks.map((t) => [t.name, (t.options as { options: object }).options])).toEqual([
      ['run-schematic', jasmine.objectContaining({ checkProvider: true, before: undefined })],
    ]);
  });

  it('--skip-install schedules no install', async () => {
    await runner.runSchematic('ng-add', { ...BASE_OPTIONS, skipInstall: true }, loadFixture('ng22'));
    expect(runner.tasks.map((t) => t.name)).toEqual(['run-schematic']);
  });

  it('schedules the next steps, and the provider check, to run after the files are written', async () => {
    await runner.runSchematic('ng-add', { ...BASE_OPTIONS, authority: 'https://id.acme.dev' }, loadFixture('ng22'));
    const tasks = runner.tasks.map((t) => ({ name: t.name, options: t.options as Record<string, unknown> }));
    expect(tasks.map((t) => t.name)).toEqual(['node-package', 'run-schematic']);
    const scheduled = tasks[1].options as { name: string; options: Record<string, unknown> };
    expect(scheduled.name).toBe('next-steps');
    expect(scheduled.options).toEqual(jasmine.objectContaining({
      authority: 'https://id.acme.dev', checkProvider: true, before: [],
    }));
  });
});

describe('ng-add on a prettier-clean workspace leaves it prettier-clean (CLI 20 and 21.0 run no prettier after schematics)', () => {
  async function prettierConfig(tree: UnitTestTree): Promise<object> {
    return tree.exists('/.prettierrc') ? JSON.parse(tree.readText('/.prettierrc')) : JSON.parse(tree.readText('/package.json')).prettier;
  }

  /** What `prettier --write` made of the files ng add edits, as an app with a format gate has them. */
  async function formatted(fixture: Fixture, edit: (angularJson: string) => string = (text) => text): Promise<UnitTestTree> {
    const tree = loadFixture(fixture);
    tree.overwrite('/angular.json', edit(tree.readText('/angular.json')));
    const config = await prettierConfig(tree);
    for (const path of ['/angular.json', '/package.json', '/src/app/app.config.ts', '/src/app/app-module.ts']) {
      if (tree.exists(path)) {
        tree.overwrite(path, await prettier.format(tree.readText(path), { ...config, filepath: path }));
      }
    }
    return tree;
  }

  async function unformatted(tree: UnitTestTree, paths: string[]): Promise<string[]> {
    const config = await prettierConfig(tree);
    const failing: string[] = [];
    for (const path of paths.filter((p) => tree.exists(p))) {
      if (!(await prettier.check(tree.readText(path), { ...config, filepath: path }))) failing.push(path);
    }
    return failing;
  }

  const oneLineCollections = (text: string) => text.replace('"packageManager": "npm"', '"packageManager": "npm",\n    "schematicCollections": ["angular-eslint"]');
  const cases: [string, Fixture, Record<string, unknown>, ((text: string) => string)?][] = [
    ['Angular 22, one-line schematicCollections', 'ng22', {}, oneLineCollections],
    ['Angular 22, no schematicCollections, iframe renewal', 'ng22', { renewal: 'iframe' }],
    ['Angular 21 (Karma), implicit flow', 'ng21-karma', { flow: 'implicit', renewal: 'iframe' }, oneLineCollections],
    ['Angular 20 NgModule (prettier config in package.json), no cli section', 'ng20-module', { renewal: 'iframe', dpop: false }],
    ['Angular 22, src/assets entries on one line', 'ng22', { renewal: 'iframe' },
      (text) => text.replace(/"assets": \[\s*\{\s*"glob": "\*\*\/\*",\s*"input": "public"\s*\}\s*\]/, '"assets": ["src/favicon.ico", "src/assets"]')],
  ];
  for (const [name, fixture, options, edit] of cases) {
    it(name, async () => {
      const tree = await formatted(fixture, edit);
      const before = snapshot(tree);
      expect(await unformatted(tree, Object.keys(before).filter((p) => /^\/(angular|package)\.json$|app\.config\.ts$|app-module\.ts$/.test(p)))).toEqual([]);
      const after = await runner.runSchematic('ng-add', { ...BASE_OPTIONS, ...options }, tree);
      const changed = changedFiles(before, snapshot(after));
      expect(changed).toContain('/angular.json');
      expect(await unformatted(after, changed)).toEqual([]);
    });
  }

  it('the one-line list stays one line', async () => {
    const tree = await runner.runSchematic('ng-add', BASE_OPTIONS, await formatted('ng22', oneLineCollections));
    expect(tree.readText('/angular.json')).toContain('\n    "schematicCollections": ["angular-eslint", "ngx-auth-renew"]\n');
  });
});
