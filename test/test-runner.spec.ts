import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { getWorkspace } from '@schematics/angular/utility/workspace';
import { TestSetup, testSetupOf, vitestGlobalsOn, withVitestImports, writesSpecs } from '../src/render/test-runner';
import { Fixture, loadFixture, runAuthRenew } from './workspace-fixtures';

function specs(tree: UnitTestTree): string[] {
  return tree.files.filter((f) => f.startsWith('/src/app/auth/') && f.endsWith('.spec.ts'));
}

describe('generated specs and the app\'s test runner', () => {
  it('Vitest (@angular/build:unit-test, default runner): each spec imports the test functions it calls', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'), { renewal: 'iframe' });
    expect(tree.readText('/src/app/auth/session-store.spec.ts').split('\n')[0])
      .toBe(`import { afterEach, describe, expect, it } from 'vitest';`);
    expect(tree.readText('/src/app/auth/renewal-scheduler.spec.ts').split('\n')[0])
      .toBe(`import { afterEach, beforeEach, describe, expect, it } from 'vitest';`);
    for (const path of specs(tree)) {
      expect(tree.readText(path)).withContext(path).toMatch(/^import \{ [a-zA-Z, ]+ \} from 'vitest';\n/);
    }
    expect(tree.readText('/src/app/auth/auth.testing.ts')).not.toContain('vitest');
  });

  for (const fixture of ['ng21-karma', 'ng20-module'] as Fixture[]) {
    it(`Karma (${fixture}): no spec imports vitest`, async () => {
      const tree = await runAuthRenew(loadFixture(fixture));
      expect(specs(tree).length).toBeGreaterThan(5);
      for (const path of specs(tree)) {
        expect(tree.readText(path)).withContext(path).not.toContain('vitest');
      }
    });
  }

  it('the import names only what the code calls, in order, and is added once', () => {
    const code = `describe('x', () => {\n  beforeAll(() => undefined);\n  it('waits', () => expect(wait()).toBe(1));\n});\n`;
    const once = withVitestImports(code);
    expect(once).toBe(`import { beforeAll, describe, expect, it } from 'vitest';\n${code}`);
    expect(withVitestImports(once)).toBe(once);
    expect(withVitestImports('export const a = obj.it(1);\n')).toBe('export const a = obj.it(1);\n');
  });

  it('keeps a leading @vitest-environment pragma first (Vitest reads it from the top of the file)', () => {
    const code = `// @vitest-environment node\nimport { a } from './a';\n\ndescribe('x', () => it('y', () => expect(a).toBe(1)));\n`;
    expect(withVitestImports(code)).toBe(
      `// @vitest-environment node\nimport { describe, expect, it } from 'vitest';\nimport { a } from './a';\n\ndescribe('x', () => it('y', () => expect(a).toBe(1)));\n`);
  });
});

/** The fixture as `ng new --skip-tests` leaves it: no test target, no vitest/jsdom dev dependencies. */
function withoutTestTarget(tree: UnitTestTree, project = 'ng22'): UnitTestTree {
  const workspace = JSON.parse(tree.readText('/angular.json'));
  delete workspace.projects[project].architect.test;
  tree.overwrite('/angular.json', JSON.stringify(workspace, null, 2));
  const pkg = JSON.parse(tree.readText('/package.json'));
  delete pkg.devDependencies.vitest;
  delete pkg.devDependencies.jsdom;
  tree.overwrite('/package.json', JSON.stringify(pkg, null, 2));
  return tree;
}

function withTestTarget(tree: UnitTestTree, target: object, project = 'ng22'): UnitTestTree {
  const workspace = JSON.parse(tree.readText('/angular.json'));
  workspace.projects[project].architect.test = target;
  tree.overwrite('/angular.json', JSON.stringify(workspace, null, 2));
  return tree;
}

async function setupOf(tree: UnitTestTree, project?: string): Promise<TestSetup> {
  const workspace = await getWorkspace(tree);
  return testSetupOf(tree, workspace.projects.get(project ?? [...workspace.projects.keys()][0])!);
}

/** An Analog-style config (@analogjs/vite-plugin-angular), as its setup-vitest schematic writes it. */
function analogConfig(globals: string): string {
  return [
    `/// <reference types="vitest" />`,
    `import { defineConfig } from 'vite';`,
    `import angular from '@analogjs/vite-plugin-angular';`,
    ``,
    `export default defineConfig(({ mode }) => ({`,
    `  plugins: [angular()],`,
    `  test: {`,
    ...(globals ? [`    ${globals}`] : []),
    `    environment: 'jsdom',`,
    `    setupFiles: ['src/test-setup.ts'],`,
    `    include: ['**/*.spec.ts'],`,
    `    reporters: ['default'],`,
    `  },`,
    `  define: {`,
    `    'import.meta.vitest': mode !== 'production',`,
    `  },`,
    `}));`,
    ``,
  ].join('\n');
}

describe('testSetupOf: the test runner however the app runs it', () => {
  it('angular.json test target: the unit-test builder is Vitest (imports always) or Karma; the karma builders', async () => {
    expect(await setupOf(loadFixture('ng22'))).toEqual(
      { runner: 'vitest', vitestImports: true, source: 'angular.json test target (@angular/build:unit-test)' });
    expect(await setupOf(loadFixture('ng21-karma'))).toEqual(
      { runner: 'karma', vitestImports: false, source: 'angular.json test target (@angular/build:unit-test)' });
    expect(await setupOf(loadFixture('ng20-module'))).toEqual(
      { runner: 'karma', vitestImports: false, source: 'angular.json test target (@angular/build:karma)' });
    // Even with a config that sets globals: true, the unit-test builder's specs import (today's rule).
    const globals = loadFixture('ng22');
    globals.create('/vitest.config.ts', analogConfig('globals: true,'));
    expect((await setupOf(globals)).vitestImports).toBe(true);
  });

  it('no test target, an Analog-style vite.config.ts without globals: Vitest, specs import', async () => {
    const tree = withoutTestTarget(loadFixture('ng22'));
    tree.create('/vite.config.ts', analogConfig(''));
    expect(await setupOf(tree)).toEqual({ runner: 'vitest', vitestImports: true, source: 'vite.config.ts' });
  });

  it('no test target, vite.config.mts with test: { globals: true }: Vitest with globals, no imports', async () => {
    const tree = withoutTestTarget(loadFixture('ng22'));
    tree.create('/vite.config.mts', analogConfig('globals: true,'));
    expect(await setupOf(tree)).toEqual({ runner: 'vitest', vitestImports: false, source: 'vite.config.mts' });
  });

  it('globals not certainly on: commented out, an expression, false somewhere, or another config merged in', async () => {
    expect(vitestGlobalsOn(analogConfig('globals: true,'))).toBe(true);
    expect(vitestGlobalsOn(`export default { test: { 'globals': true } };`)).toBe(true);
    expect(vitestGlobalsOn(analogConfig('// globals: true,'))).toBe(false);
    expect(vitestGlobalsOn(analogConfig('/* globals: true, */'))).toBe(false);
    expect(vitestGlobalsOn(analogConfig('globals: !!process.env.CI,'))).toBe(false);
    expect(vitestGlobalsOn(analogConfig('globals: false,'))).toBe(false);
    expect(vitestGlobalsOn(`${analogConfig('globals: true,')}\nexport const other = { test: { globals: false } };\n`)).toBe(false);
    expect(vitestGlobalsOn(`import base from './vite.base';\nexport default mergeConfig(base, { test: { globals: true } });\n`)).toBe(false);
    expect(vitestGlobalsOn(analogConfig(''))).toBe(false);
    // A glob before globals is no comment.
    expect(vitestGlobalsOn(`export default { test: { include: ['src/**/*.spec.ts', '**/*.test.ts'], globals: true } };\n`)).toBe(true);
    expect(vitestGlobalsOn(`export default { test: { include: ['src/**/*.spec.ts'], /* globals: true, */ globals: false } };\n`)).toBe(false);
  });

  it('the Analog builder in angular.json: Vitest, globals read from the config it names or the project\'s', async () => {
    const named = withTestTarget(withoutTestTarget(loadFixture('ng22')),
      { builder: '@analogjs/vitest-angular:test', options: { configFile: 'vite.config.mts' } });
    named.create('/vite.config.mts', analogConfig('globals: true,'));
    expect(await setupOf(named)).toEqual({ runner: 'vitest', vitestImports: false,
      source: 'angular.json test target (@analogjs/vitest-angular:test), vite.config.mts' });
    const found = withTestTarget(withoutTestTarget(loadFixture('ng22')), { builder: '@analogjs/vitest-angular:test' });
    found.create('/vite.config.ts', analogConfig(''));
    expect(await setupOf(found)).toEqual({ runner: 'vitest', vitestImports: true,
      source: 'angular.json test target (@analogjs/vitest-angular:test), vite.config.ts' });
  });

  it('a vite.config without a test section is not a test runner', async () => {
    const tree = withoutTestTarget(loadFixture('ng22'));
    tree.create('/vite.config.ts', `import { defineConfig } from 'vite';\nexport default defineConfig({ server: { port: 4300 } });\n`);
    expect((await setupOf(tree)).runner).toBe('none');
  });

  it('Jest: jest.config.js, a "jest" section in package.json, or a jest builder; its globals need no import', async () => {
    const config = withoutTestTarget(loadFixture('ng22'));
    config.create('/jest.config.js', `module.exports = {\n  preset: 'jest-preset-angular',\n  setupFilesAfterEach: ['<rootDir>/setup-jest.ts'],\n};\n`);
    expect(await setupOf(config)).toEqual({ runner: 'jest', vitestImports: false, source: 'jest.config.js' });
    const section = withoutTestTarget(loadFixture('ng22'));
    section.overwrite('/package.json', JSON.stringify({ ...JSON.parse(section.readText('/package.json')), jest: { preset: 'jest-preset-angular' } }));
    expect(await setupOf(section)).toEqual({ runner: 'jest', vitestImports: false, source: 'package.json "jest"' });
    const builder = withTestTarget(withoutTestTarget(loadFixture('ng22')), { builder: '@angular-builders/jest:run' });
    expect(await setupOf(builder)).toEqual(
      { runner: 'jest', vitestImports: false, source: 'angular.json test target (@angular-builders/jest:run)' });
  });

  it('a test target of another builder: other, specs written without imports (as before)', async () => {
    const tree = withTestTarget(loadFixture('ng22'), { builder: '@nx/run-commands:run-commands', options: { command: 'wtr' } });
    expect(await setupOf(tree)).toEqual(
      { runner: 'other', vitestImports: false, source: 'angular.json test target (@nx/run-commands:run-commands)' });
  });

  it('vitest in devDependencies with no config: Vitest without globals (its default)', async () => {
    const tree = withoutTestTarget(loadFixture('ng22'));
    tree.overwrite('/package.json', tree.readText('/package.json').replace('"devDependencies": {', '"devDependencies": {\n    "vitest": "^4.0.0",'));
    expect(await setupOf(tree)).toEqual({ runner: 'vitest', vitestImports: true, source: 'package.json (vitest)' });
  });

  it('none at all (ng new --skip-tests): none', async () => {
    expect(await setupOf(withoutTestTarget(loadFixture('ng22')))).toEqual({ runner: 'none', vitestImports: false,
      source: 'no test target in angular.json, no Vitest, Jest or Karma config or dependency' });
  });

  it('the project\'s root first, then the workspace root (multi-project workspace)', async () => {
    const tree = withoutTestTarget(loadFixture('multi'), 'shop');
    tree.create('/vitest.config.ts', `export default { test: { globals: false } };\n`);
    tree.create('/apps/shop/vite.config.mts', analogConfig('globals: true,'));
    expect(await setupOf(tree, 'shop')).toEqual({ runner: 'vitest', vitestImports: false, source: 'apps/shop/vite.config.mts' });
    tree.delete('/apps/shop/vite.config.mts');
    expect(await setupOf(tree, 'shop')).toEqual({ runner: 'vitest', vitestImports: true, source: 'vitest.config.ts' });
  });

  it('writesSpecs: --skip-tests given decides; not given, specs unless there is no test runner', () => {
    const none: TestSetup = { runner: 'none', vitestImports: false, source: '' };
    const vitest: TestSetup = { runner: 'vitest', vitestImports: true, source: '' };
    expect(writesSpecs(none, {})).toBe(false);
    expect(writesSpecs(none, { skipTests: false })).toBe(true);
    expect(writesSpecs(none, { skipTests: true })).toBe(false);
    expect(writesSpecs(vitest, {})).toBe(true);
    expect(writesSpecs(vitest, { skipTests: true })).toBe(false);
    expect(writesSpecs({ ...vitest, runner: 'other' }, {})).toBe(true);
  });
});
