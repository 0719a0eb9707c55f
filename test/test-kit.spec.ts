import { loadFixture, runAuthRenew } from './workspace-fixtures';

describe('the test kit of the app\'s own tests', () => {
  const KIT = ['/src/app/auth/provide-auth-testing.ts', '/src/app/auth/e2e-session.ts', '/src/app/auth/provide-auth-testing.spec.ts'];

  it('is generated with the rest, its spec importing from vitest in a Vitest app', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'));
    for (const path of KIT) expect(tree.exists(path)).withContext(path).toBe(true);
    expect(tree.readText(KIT[2])).toMatch(/^import \{[^}]*\} from 'vitest';/m);
    expect(tree.readText(KIT[0])).toContain('export function provideAuthTesting(');
  });

  it('is not generated with --skip-tests', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'), { skipTests: true });
    for (const path of KIT) expect(tree.exists(path)).withContext(path).toBe(false);
    expect(tree.exists('/src/app/auth/auth.service.ts')).toBe(true);
  });
});
