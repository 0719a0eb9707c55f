import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { discoveryUrl, fetchJson } from '../src/next-steps/provider-check';
import { loadFixture, runner, runWithTasks } from './workspace-fixtures';

/** A local provider: answers every GET with `handler`, records the paths asked. */
async function provider(handler: (req: IncomingMessage, res: ServerResponse, origin: string) => void):
  Promise<{ origin: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    paths.push(req.url ?? '');
    handler(req, res, origin);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, paths, server };
}

function json(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function complete(issuer: string): Record<string, unknown> {
  return {
    issuer,
    code_challenge_methods_supported: ['plain', 'S256'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    revocation_endpoint: `${issuer}/revoke`,
    end_session_endpoint: `${issuer}/logout`,
  };
}

async function ngAddWarnings(options: Record<string, unknown>, tree = loadFixture('ng22')): Promise<string[]> {
  const warnings: string[] = [];
  const subscription = runner.logger.subscribe((entry) => entry.level === 'warn' && warnings.push(entry.message));
  try {
    await runWithTasks('ng-add', { clientId: 'spa', ...options }, tree);
  } finally {
    subscription.unsubscribe();
  }
  return warnings;
}

describe('ng add checks the provider\'s discovery document', () => {
  let servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    servers = [];
  });
  async function start(handler: Parameters<typeof provider>[0]) {
    const p = await provider(handler);
    servers.push(p.server);
    return p;
  }

  it('builds the discovery URL like oauth4webapi: one slash, a trailing slash of the issuer kept', () => {
    expect(discoveryUrl('https://id.example.com')).toBe('https://id.example.com/.well-known/openid-configuration');
    expect(discoveryUrl('https://h.example.com/application/o/app/'))
      .toBe('https://h.example.com/application/o/app/.well-known/openid-configuration');
    expect(discoveryUrl('http://localhost:9000/realms/x')).toBe('http://localhost:9000/realms/x/.well-known/openid-configuration');
  });

  it('a provider that fits: nothing to say', async () => {
    const p = await start((_req, res, origin) => json(res, complete(origin)));
    expect(await ngAddWarnings({ authority: p.origin })).toEqual([]);
    expect(p.paths).toEqual(['/.well-known/openid-configuration']);
  });

  it('an issuer ending in a slash is asked under that path and matches', async () => {
    const p = await start((_req, res, origin) => json(res, complete(`${origin}/application/o/app/`)));
    expect(await ngAddWarnings({ authority: `${p.origin}/application/o/app/` })).toEqual([]);
    expect(p.paths).toEqual(['/application/o/app/.well-known/openid-configuration']);
  });

  it('everything that does not fit code + refresh-token renewal, one line each', async () => {
    const p = await start((_req, res, origin) => json(res, {
      issuer: `${origin}/other`,
      code_challenge_methods_supported: ['plain'],
      grant_types_supported: ['authorization_code'],
    }));
    expect(await ngAddWarnings({ authority: p.origin })).toEqual([[
      `ngx-auth-renew: the provider at ${p.origin} does not fit this setup:`,
      `  - its issuer is "${p.origin}/other", not --authority "${p.origin}": discovery will fail in the app; run again with --authority ${p.origin}/other.`,
      '  - code_challenge_methods_supported does not list S256: the code flow needs PKCE with S256.',
      '  - grant_types_supported does not list refresh_token: use --renewal iframe, or allow refresh tokens for the client.',
      '  - it has no revocation_endpoint: sign-out cannot revoke the tokens.',
      '  - it has no end_session_endpoint: sign-out ends the session in the app only, not at the provider.',
    ].join('\n')]);
  });

  it('iframe renewal does not need refresh_token; implicit does not need S256', async () => {
    const p = await start((_req, res, origin) => json(res, { ...complete(origin), code_challenge_methods_supported: [], grant_types_supported: ['implicit'] }));
    expect(await ngAddWarnings({ authority: p.origin, flow: 'implicit', renewal: 'iframe' })).toEqual([
      'The implicit flow is deprecated by RFC 9700 (OAuth 2.0 Security BCP): prefer --flow code, which uses PKCE and keeps tokens out of the URL.',
    ]);
  });

  it('not found, or nobody listening: a warning, and ng add still succeeds', async () => {
    const p = await start((_req, res) => res.writeHead(404).end());
    expect(await ngAddWarnings({ authority: p.origin })).toEqual([
      `ngx-auth-renew: could not read ${p.origin}/.well-known/openid-configuration (HTTP 404); the provider's settings were not checked.`,
    ]);
    const port = (p.server.address() as AddressInfo).port;
    await new Promise((resolve) => p.server.close(resolve));
    servers = [];
    expect(await ngAddWarnings({ authority: p.origin })).toEqual([
      `ngx-auth-renew: could not read ${p.origin}/.well-known/openid-configuration (connect ECONNREFUSED 127.0.0.1:${port}); the provider's settings were not checked.`,
    ]);
  });

  it('a provider that does not answer: given up after the timeout', async () => {
    const p = await start(() => undefined);
    const started = Date.now();
    expect(await fetchJson(`${p.origin}/.well-known/openid-configuration`, 200)).toBe('no answer within 0.2 s');
    expect(Date.now() - started).toBeLessThan(2000);
    p.server.closeAllConnections();
  });

  it('asks only once the files are written: a run that fails asks nothing', async () => {
    const p = await start((_req, res, origin) => json(res, complete(origin)));
    // A file of the user's where the scaffold writes: the run stops before any task.
    const tree = loadFixture('ng22');
    tree.create('src/app/auth/auth.service.ts', 'export class AuthService {}\n');
    await expectAsync(ngAddWarnings({ authority: p.origin }, tree)).toBeRejectedWithError(/auth\.service\.ts already exists/);
    expect(p.paths).toEqual([]);
  });

  it('ng add run again (nothing to create) still checks the provider, and says nothing else', async () => {
    const p = await start((_req, res, origin) => json(res, { ...complete(origin), end_session_endpoint: undefined }));
    const tree = await runner.runSchematic('ng-add', { clientId: 'spa', authority: p.origin }, loadFixture('ng22'));
    const entries: string[] = [];
    const subscription = runner.logger.subscribe((entry) => entries.push(`${entry.level}: ${entry.message}`));
    try {
      await runWithTasks('ng-add', { clientId: 'spa', authority: p.origin }, tree);
    } finally {
      subscription.unsubscribe();
    }
    expect(entries).toEqual([`warn: ngx-auth-renew: the provider at ${p.origin} does not fit this setup:\n` +
      '  - it has no end_session_endpoint: sign-out ends the session in the app only, not at the provider.']);
  });

  it('reserved example hosts (id.example.com, .test) are not asked, and one info line says so, on every ng add', async () => {
    for (const authority of ['https://id.example.com', 'https://sso.corp.test/realms/a']) {
      const entries: string[] = [];
      const subscription = runner.logger.subscribe((entry) => entries.push(`${entry.level}: ${entry.message}`));
      try {
        const tree = await runWithTasks('ng-add', { clientId: 'spa', authority }, loadFixture('ng22'));
        await runWithTasks('ng-add', { clientId: 'spa', authority }, tree);
      } finally {
        subscription.unsubscribe();
      }
      const host = new URL(authority).hostname;
      const skipped = `info: ngx-auth-renew: the provider check was skipped: ${host} is a name reserved for examples and tests ` +
        '(RFC 2606, RFC 6761), so its discovery document was not read.';
      expect(entries.filter((e) => !e.startsWith('info: ngx-auth-renew: next steps') && !e.includes(': using --provider '))).toEqual([skipped, skipped]);
    }
  });
});
