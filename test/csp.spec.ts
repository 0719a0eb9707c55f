import { allows, directiveEdits, parsePolicy } from '../src/next-steps/csp';
import { loadFixture, runner, runWithTasks } from './workspace-fixtures';

describe('CSP source matching and edits', () => {
  it('allows: *, scheme sources, host sources with wildcards and ports; a path-bearing source is not counted', () => {
    const id = 'https://id.example.com';
    expect(allows(['*'], id)).toBe(true);
    expect(allows(['https:'], id)).toBe(true);
    expect(allows(['http:'], id)).toBe(true);
    expect(allows(['http:'], 'http://localhost:9000')).toBe(true);
    expect(allows(['https:'], 'http://localhost:9000')).toBe(false);
    expect(allows(['https://id.example.com'], id)).toBe(true);
    expect(allows(['id.example.com'], id)).toBe(true);
    expect(allows(['https://*.example.com'], id)).toBe(true);
    expect(allows(['https://*.example.com'], 'https://example.com')).toBe(false);
    expect(allows(['https://id.example.com:8443'], id)).toBe(false);
    expect(allows(['https://id.example.com:*'], 'https://id.example.com:8443')).toBe(true);
    expect(allows(['http://localhost:9000'], 'http://localhost:9000')).toBe(true);
    expect(allows(['http://localhost'], 'http://localhost:9000')).toBe(false);
    expect(allows(['https://id.example.com/realms/a/'], id)).toBe(false);
    expect(allows(["'self'", "'none'", 'https://other.example.com'], id)).toBe(false);
  });

  it('parsePolicy: names lower-cased, the first of a repeated directive counts, empty parts ignored', () => {
    expect([...parsePolicy(" Default-Src 'self';; connect-src a; connect-src b ;")]).toEqual([
      ['default-src', ["'self'"]], ['connect-src', ['a']]]);
  });

  it('directiveEdits: \'none\' is never kept next to a source', () => {
    expect(directiveEdits(parsePolicy("default-src 'none'"), 'https://id.example.com', 'refresh-token'))
      .toEqual([{ name: 'connect-src', fallback: 'default-src', sources: ['https://id.example.com'] }]);
    expect(directiveEdits(parsePolicy("default-src 'self'; connect-src 'none'"), 'https://id.example.com', 'refresh-token'))
      .toEqual([{ name: 'connect-src', existing: ["'none'"], sources: ['https://id.example.com'] }]);
  });

  it('helmet with contentSecurityPolicy: false sets no policy: no CSP step', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/server.ts', "import helmet from 'helmet';\napp.use(helmet({ contentSecurityPolicy: false }));\n");
    const info: string[] = [];
    const subscription = runner.logger.subscribe((entry) => info.push(entry.message));
    try {
      await runWithTasks('auth-renew', { authority: 'https://id.example.com', clientId: 'spa' }, tree);
    } finally {
      subscription.unsubscribe();
    }
    expect(info.length).toBe(1);
    expect(info[0]).toContain('ngx-auth-renew: next steps');
    expect(info[0]).not.toContain('Content-Security-Policy');
  });
});
