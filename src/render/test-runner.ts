import { Tree } from '@angular-devkit/schematics';
import { ProjectDefinition } from '@schematics/angular/utility/workspace';
import { descendants } from '../ts/ts-ast';
import { ts, TS } from '../ts/typescript';

/** What runs the app's unit tests: decides how the generated specs get describe/it/expect. */
export type TestRunner = 'vitest' | 'karma' | 'other';

const KARMA_BUILDERS = ['@angular-devkit/build-angular:karma', '@angular/build:karma'];
const UNIT_TEST_BUILDER = '@angular/build:unit-test';

/**
 * The runner of the project's `test` target: `@angular/build:unit-test` runs Vitest unless its
 * `runner` option says karma; the karma builders run Karma with Jasmine, which always has globals.
 */
export function testRunnerOf(project: ProjectDefinition): TestRunner {
  const target = project.targets.get('test');
  if (target?.builder === UNIT_TEST_BUILDER) {
    return target.options?.['runner'] === 'karma' ? 'karma' : 'vitest';
  }
  return target && KARMA_BUILDERS.includes(target.builder) ? 'karma' : 'other';
}

/**
 * How the app runs its unit tests, as far as its files tell:
 * - `runner`: `vitest`, `karma` (Jasmine), `jest`, `none` (nothing would run a spec), or `other`
 *   (a test target whose builder is not one of these: specs are written as for Karma);
 * - `vitestImports`: the specs must import describe/it/expect/… from 'vitest' (withVitestImports).
 *   Always for Angular's unit-test builder (today's rule: its `runnerConfig` may be anything), and
 *   for a Vitest config unless it certainly sets `globals: true`. Never for Karma, Jest or other:
 *   Jasmine and Jest have globals, and the specs use only describe, it, expect, beforeEach, afterEach and
 *   matchers both have (toBe, toEqual, toBeNull, toContain, …), so under Jest they are written
 *   exactly as for Karma (Jest's `injectGlobals: false` would need imports from '@jest/globals');
 * - `source`: what told (workspace-relative), for messages: `angular.json test target
 *   (@angular/build:unit-test)`, `vite.config.mts`, `package.json "jest"`, or for `none` the places
 *   looked at.
 */
export interface TestSetup {
  runner: 'vitest' | 'karma' | 'jest' | 'none' | 'other';
  vitestImports: boolean;
  source: string;
}

const CONFIG_EXTENSIONS = ['ts', 'mts', 'cts', 'js', 'mjs', 'cjs'];
const VITEST_CONFIGS = [...CONFIG_EXTENSIONS.map((e) => `vitest.config.${e}`), ...CONFIG_EXTENSIONS.map((e) => `vite.config.${e}`)];
const JEST_CONFIGS = [...CONFIG_EXTENSIONS.map((e) => `jest.config.${e}`), 'jest.config.json'];
const KARMA_CONFIGS = ['karma.conf.js', 'karma.conf.cjs', 'karma.conf.mjs', 'karma.conf.ts'];

/** A config file's text, parsed (comments then play no part). */
function parseConfig(text: string): TS.SourceFile {
  return ts.createSourceFile('config.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
}

/** The initializers of the properties named `name` anywhere in a parsed config. */
function propertyValues(config: TS.SourceFile, name: string): TS.Expression[] {
  return descendants(config).filter((n): n is TS.PropertyAssignment => ts.isPropertyAssignment(n) &&
    (ts.isIdentifier(n.name) || ts.isStringLiteral(n.name)) && n.name.text === name).map((n) => n.initializer);
}

/**
 * True when a Vitest/Vite config's text certainly turns globals on: `globals: true` in it, no other
 * `globals` value, and no other config merged in (mergeConfig, extends) that could turn it off.
 */
export function vitestGlobalsOn(configText: string): boolean {
  const config = parseConfig(configText);
  const values = propertyValues(config, 'globals');
  const merged = descendants(config).some((n) => ts.isCallExpression(n) && n.expression.getText(config) === 'mergeConfig') ||
    propertyValues(config, 'extends').length > 0;
  return values.length > 0 && values.every((v) => v.kind === ts.SyntaxKind.TrueKeyword) && !merged;
}

/** A Vite config is a Vitest config when it has a `test` section or imports vitest (vitest.config.* always is). */
function isVitestConfig(path: string, text: string): boolean {
  if (path.split('/').pop()!.startsWith('vitest.')) {
    return true;
  }
  const config = parseConfig(text);
  return propertyValues(config, 'test').length > 0 || config.statements.some((s) => ts.isImportDeclaration(s) &&
    ts.isStringLiteral(s.moduleSpecifier) && /^vitest(\/|$)/.test(s.moduleSpecifier.text));
}

function packageJson(tree: Tree, dir: string): Record<string, unknown> | undefined {
  const path = `${dir}package.json`;
  if (!tree.exists(path)) {
    return undefined;
  }
  try {
    const json: unknown = JSON.parse(tree.readText(path));
    return json && typeof json === 'object' ? json as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

function dependsOn(pkg: Record<string, unknown> | undefined, name: string): boolean {
  return ['dependencies', 'devDependencies'].some((field) => {
    const deps = pkg?.[field];
    return !!deps && typeof deps === 'object' && name in deps;
  });
}

/** The Vitest setup a config file gives. */
function vitestFrom(tree: Tree, path: string): TestSetup {
  return { runner: 'vitest', vitestImports: !vitestGlobalsOn(tree.readText(path)), source: path };
}

/** `dir` of a workspace path with a trailing slash, '' for the workspace root. */
function asDir(path: string | undefined): string {
  const clean = (path ?? '').replace(/^\/+|\/+$/g, '');
  return clean ? `${clean}/` : '';
}

/**
 * The app's test setup: first the `test` target of angular.json (what `ng test` runs), then, with
 * none, the config files at the project root and then the workspace root (a Vitest config, e.g.
 * an Analog app run by `vitest`; a Jest config or `jest` in package.json; a Karma config), then a
 * `vitest` or `jest` dependency in package.json. Nothing of these: `none`.
 */
export function testSetupOf(tree: Tree, project: ProjectDefinition): TestSetup {
  const root = asDir(project.root);
  const dirs = root ? [root, ''] : [''];
  const target = project.targets.get('test');
  const builder = target?.builder;
  if (target && builder) {
    const source = `angular.json test target (${builder})`;
    if (builder === UNIT_TEST_BUILDER) {
      return target.options?.['runner'] === 'karma'
        ? { runner: 'karma', vitestImports: false, source }
        : { runner: 'vitest', vitestImports: true, source };
    }
    if (KARMA_BUILDERS.includes(builder) || /:karma$/.test(builder)) {
      return { runner: 'karma', vitestImports: false, source };
    }
    if (/jest/.test(builder)) {
      return { runner: 'jest', vitestImports: false, source };
    }
    if (/vitest|^@nx\/vite:test$/.test(builder)) {
      // @analogjs/vitest-angular:test, @nx/vite:test: the config named by the target, else the project's.
      const named = [target.options?.['configFile'], target.options?.['config']]
        .find((v): v is string => typeof v === 'string');
      const config = named ? [named.replace(/^\.?\/+/, '')].map((p) => tree.exists(p) ? p : `${root}${p}`).find((p) => tree.exists(p))
        : dirs.flatMap((dir) => VITEST_CONFIGS.map((name) => `${dir}${name}`)).find((p) => tree.exists(p));
      return config ? { ...vitestFrom(tree, config), source: `${source}, ${config}` } : { runner: 'vitest', vitestImports: true, source };
    }
    return { runner: 'other', vitestImports: false, source };
  }
  for (const dir of dirs) {
    const vitest = VITEST_CONFIGS.map((name) => `${dir}${name}`)
      .find((path) => tree.exists(path) && isVitestConfig(path, tree.readText(path)));
    if (vitest) {
      return vitestFrom(tree, vitest);
    }
    const jest = JEST_CONFIGS.map((name) => `${dir}${name}`).find((path) => tree.exists(path));
    if (jest) {
      return { runner: 'jest', vitestImports: false, source: jest };
    }
    if (packageJson(tree, dir)?.['jest']) {
      return { runner: 'jest', vitestImports: false, source: `${dir}package.json "jest"` };
    }
    const karma = KARMA_CONFIGS.map((name) => `${dir}${name}`).find((path) => tree.exists(path));
    if (karma) {
      return { runner: 'karma', vitestImports: false, source: karma };
    }
  }
  for (const dir of dirs) {
    const pkg = packageJson(tree, dir);
    if (dependsOn(pkg, 'vitest')) {
      return { runner: 'vitest', vitestImports: true, source: `${dir}package.json (vitest)` };
    }
    if (dependsOn(pkg, 'jest')) {
      return { runner: 'jest', vitestImports: false, source: `${dir}package.json (jest)` };
    }
  }
  return { runner: 'none', vitestImports: false, source: 'no test target in angular.json, no Vitest, Jest or Karma config or dependency' };
}

/**
 * Whether the run writes spec files (and auth.testing.ts): `--skip-tests` given says; not given
 * (schema.json has no default for it, so the CLI leaves it undefined), specs are written unless
 * nothing would run them. `--skip-tests=false` given explicitly writes them anyway.
 */
export function writesSpecs(setup: TestSetup, schema: { skipTests?: boolean }): boolean {
  return schema.skipTests === undefined ? setup.runner !== 'none' : !schema.skipTests;
}

const VITEST_NAMES = ['afterAll', 'afterEach', 'beforeAll', 'beforeEach', 'describe', 'expect', 'it', 'vi'];

/**
 * The spec with `import { … } from 'vitest';` of the test functions it calls put first, so that it
 * also runs when Vitest has `globals: false`. Code that calls none (or imports them already) is
 * returned as it is.
 */
export function withVitestImports(code: string): string {
  if (/from ['"]vitest['"]/.test(code)) {
    return code;
  }
  const used = VITEST_NAMES.filter((name) => new RegExp(`(^|[^.\\w$])${name}\\s*[(.]`).test(code));
  if (!used.length) {
    return code;
  }
  // A spec of the server half starts with `// @vitest-environment node`, which stays first.
  const pragma = /^\/\/ @vitest-environment \w+\r?\n/.exec(code)?.[0] ?? '';
  return `${pragma}import { ${used.join(', ')} } from 'vitest';\n${code.slice(pragma.length)}`;
}
