import { ProjectDefinition } from '@schematics/angular/utility/workspace';

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
  return used.length ? `import { ${used.join(', ')} } from 'vitest';\n${code}` : code;
}
