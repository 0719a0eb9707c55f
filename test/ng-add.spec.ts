import { parse } from 'jsonc-parser';
import { BASE_OPTIONS, changedFiles, loadFixture, runner, snapshot } from './workspace-fixtures';

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
