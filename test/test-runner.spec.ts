import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { withVitestImports } from '../src/render/test-runner';
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
});
