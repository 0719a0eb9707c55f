import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { logged } from './upgrade-helpers';
import { changedFiles, lineDiff, loadFixture, runAuthRenew, runner, snapshot } from './workspace-fixtures';

const BROWSER = ['auth-config.ts', 'auth.config.ts', 'auth.guard.spec.ts', 'auth.guard.ts', 'auth.interceptor.spec.ts',
  'auth.interceptor.ts', 'auth.service.spec.ts', 'auth.service.ts', 'ngx-auth-renew.json', 'provide-auth.ts'];
const SERVER = ['api-proxy.ts', 'backchannel-logout.ts', 'bff.config.ts', 'bff.ts', 'callback.ts', 'context.ts', 'cookies.ts',
  'csrf.spec.ts', 'csrf.ts', 'deadline.ts', 'errors.ts', 'login.ts', 'logout.ts', 'memory-store.spec.ts', 'memory-store.ts',
  'oidc.ts', 'page-user.ts', 'redis-store.ts', 'return-to.spec.ts', 'return-to.ts', 'sealed.spec.ts', 'sealed.ts', 'session-store.ts',
  'sessions.ts', 'token-refresh.ts', 'upstream-call.ts', 'upstream-url.spec.ts', 'upstream-url.ts', 'upstream.ts', 'user.ts'];

function below(tree: UnitTestTree, folder: string): string[] {
  return tree.files.filter((f) => f.startsWith(`/${folder}/`)).map((f) => f.slice(folder.length + 2)).sort();
}

describe('auth-renew --bff on an app with @angular/ssr (Angular 22)', () => {
  let before: UnitTestTree;
  beforeEach(() => (before = loadFixture('ng22-ssr')));

  it('writes the token-less browser half into src/app/auth and the server half into src/server/bff', async () => {
    const tree = await runAuthRenew(before, { bff: true });
    expect(below(tree, 'src/app/auth')).toEqual(BROWSER);
    expect(below(tree, 'src/server/bff')).toEqual(SERVER);
    expect(tree.exists('/src/silent-renew.html')).toBe(false);
    const browser = below(tree, 'src/app/auth').map((f) => tree.readText(`/src/app/auth/${f}`)).join('\n');
    expect(browser).not.toMatch(/oauth4webapi|accessToken|refresh_token|renewal-scheduler/);
    expect(tree.readText('/src/server/bff/bff.config.ts')).toContain(`issuer: env('BFF_ISSUER') ?? 'https://id.example.com'`);
    expect(tree.readText('/src/server/bff/bff.config.ts')).toContain(`clientSecret: env('BFF_CLIENT_SECRET'),`);
    const record = JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json'));
    expect(record.options.bff).toBe(true);
    expect(record.server).toBe('src/server/bff');
  });

  it('--skip-tests: no spec file in either half', async () => {
    const tree = await runAuthRenew(before, { bff: true, skipTests: true });
    expect([...below(tree, 'src/app/auth'), ...below(tree, 'src/server/bff')].filter((f) => f.endsWith('.spec.ts'))).toEqual([]);
  });

  it('specs of a Vitest app import their test functions from vitest (server half too)', async () => {
    const tree = await runAuthRenew(before, { bff: true });
    // Server specs run in Node (jsdom's typed arrays are another realm's: jose and oauth4webapi refuse them); the pragma stays first.
    expect(tree.readText('/src/server/bff/memory-store.spec.ts')).toMatch(/^\/\/ @vitest-environment node\nimport \{ describe, expect, it \} from 'vitest';\nimport/);
  });

  it('wires server.ts with one import and one line, right after the Express app is made', async () => {
    const original = before.readText('/src/server.ts');
    const tree = await runAuthRenew(before, { bff: true });
    const { added, removed } = lineDiff(original, tree.readText('/src/server.ts'));
    expect(removed).toEqual([]);
    expect(added).toEqual([`import { bff } from './server/bff/bff';`, 'app.use(bff());']);
    expect(tree.readText('/src/server.ts')).toContain('const app = express();\napp.use(bff());\nconst angularApp');
  });

  it('renders the catch-all route per request instead of prerendering it (one word of one line)', async () => {
    const original = before.readText('/src/app/app.routes.server.ts');
    const tree = await runAuthRenew(before, { bff: true });
    const { added, removed } = lineDiff(original, tree.readText('/src/app/app.routes.server.ts'));
    expect(removed).toEqual(['    renderMode: RenderMode.Prerender']);
    expect(added).toEqual(['    renderMode: RenderMode.Server']);
  });

  it('adds provideAuth(authConfig) to app.config.ts as without --bff', async () => {
    const tree = await runAuthRenew(before, { bff: true });
    expect(tree.readText('/src/app/app.config.ts')).toContain('provideAuth(authConfig)');
  });

  it('adds the server half\'s dependencies, and no browser protocol library', async () => {
    const tree = await runAuthRenew(before, { bff: true });
    const dependencies = JSON.parse(tree.readText('/package.json')).dependencies;
    expect(dependencies['openid-client']).toBe('^6.8.0');
    expect(dependencies['jose']).toBe('^6.1.0');
    expect(dependencies['redis']).toBe('^5.8.0');
    expect(dependencies['oauth4webapi']).toBeUndefined();
  });

  it('a second run changes nothing', async () => {
    const once = await runAuthRenew(before, { bff: true });
    const first = snapshot(once);
    const twice = await runAuthRenew(once, { bff: true });
    expect(changedFiles(first, snapshot(twice))).toEqual([]);
  });

  it('writes prettier-clean files (the CLI\'s formatting pass leaves them as written)', async () => {
    const prettier = await import('prettier');
    const config = JSON.parse(before.readText('/.prettierrc'));
    const start = snapshot(before);
    const tree = await runAuthRenew(before, { bff: true });
    const written = changedFiles(start, snapshot(tree)).filter((f) => !start[f] && f.endsWith('.ts'));
    expect(written.length).toBe(BROWSER.length - 1 + SERVER.length);
    for (const path of written) {
      const text = tree.readText(path);
      expect(await prettier.format(text, { ...config, filepath: path })).withContext(path).toBe(text);
    }
  });

  it('a server.ts that does not make its app as "const app = express()" stops the run before any write', async () => {
    before.overwrite('/src/server.ts', before.readText('/src/server.ts').replace('const app = express();', 'const app = makeApp();'));
    const start = snapshot(before);
    await expectAsync(runAuthRenew(before, { bff: true })).toBeRejectedWithError(
      `src/server.ts: no top-level "const app = express()" found; add app.use(bff()) before the static files and the ` +
      `Angular handler, and import { bff } from './server/bff/bff';, by hand.`);
    expect(changedFiles(start, snapshot(before))).toEqual([]);
  });
});

describe('auth-renew --bff refusals (one line, nothing written)', () => {
  it('an app without @angular/ssr: says how to add it', async () => {
    const before = loadFixture('ng22');
    const start = snapshot(before);
    await expectAsync(runAuthRenew(before, { bff: true })).toBeRejectedWithError(
      '--bff needs server-side rendering with a server of the app\'s own, and project "ng22" has none ' +
      '(no "server" and "ssr.entry" in its build options): run "ng add @angular/ssr" (a server.ts with Express), then run this again.');
    expect(changedFiles(start, snapshot(before))).toEqual([]);
  });

  it('an app with SSR but static output (outputMode "static")', async () => {
    const before = loadFixture('ng22-ssr');
    before.overwrite('/angular.json', before.readText('/angular.json').replace('"outputMode": "server"', '"outputMode": "static"'));
    await expectAsync(runAuthRenew(before, { bff: true })).toBeRejectedWithError(/--bff needs the app's server at run time.*"outputMode": "static"/);
  });

  for (const [options, named] of [
    [{ flow: 'implicit', renewal: 'iframe' }, '--flow implicit'],
    [{ renewal: 'iframe' }, '--renewal iframe'],
    [{ storage: 'local' }, '--storage local'],
  ] as const) {
    it(`with ${named}`, async () => {
      await expectAsync(runner.runSchematic('auth-renew', { authority: 'https://id.example.com', clientId: 'spa', bff: true, ...options },
        loadFixture('ng22-ssr'))).toBeRejectedWithError(
        `--bff keeps the tokens on the server (code flow, refresh tokens, a server-side session store): drop ${named}, ` +
        'or drop --bff to keep tokens in the browser.');
    });
  }
});

describe('auth-renew --bff --dpop: tokens bound to a key kept on the server', () => {
  let before: UnitTestTree;
  beforeEach(() => (before = loadFixture('ng22-ssr')));

  it('adds dpop.ts and the DPoP variant of upstream-call.ts; the browser half is the same as without --dpop', async () => {
    const plain = await runAuthRenew(loadFixture('ng22-ssr'), { bff: true });
    const tree = await runAuthRenew(before, { bff: true, dpop: true });
    expect(below(tree, 'src/server/bff')).toEqual([...SERVER, 'dpop.spec.ts', 'dpop.ts'].sort());
    for (const file of BROWSER.filter((f) => f !== 'ngx-auth-renew.json')) {
      expect(tree.readText(`/src/app/auth/${file}`)).withContext(file).toBe(plain.readText(`/src/app/auth/${file}`));
    }
    const call = tree.readText('/src/server/bff/upstream-call.ts');
    expect(call).toContain('client.fetchProtectedResource(');
    expect(call).not.toContain('Bearer');
    expect(plain.readText('/src/server/bff/upstream-call.ts')).toContain('authorization: `Bearer ${session.accessToken}`');
    expect(tree.readText('/src/server/bff/login.ts')).toContain('dpop_jkt: await (await dpopHandle(configuration, pending.dpopKey)).calculateThumbprint(),');
    expect(tree.readText('/src/server/bff/callback.ts')).toContain('client.authorizationCodeGrant(configuration, current, checks, undefined, { DPoP }),');
    expect(tree.readText('/src/server/bff/token-refresh.ts')).toContain('client.refreshTokenGrant(configuration, session.refreshToken, undefined, { DPoP }),');
    expect(tree.readText('/src/server/bff/sessions.ts')).toContain('dpopKey?: DpopKey;');
    for (const file of ['login.ts', 'callback.ts', 'token-refresh.ts', 'sessions.ts', 'upstream-call.ts']) {
      expect(plain.readText(`/src/server/bff/${file}`)).withContext(file).not.toMatch(/dpop|DPoP/);
    }
    const record = JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json'));
    expect([record.options.bff, record.options.dpop]).toEqual([true, true]);
    expect(JSON.parse(tree.readText('/package.json')).dependencies['oauth4webapi']).toBeUndefined();
  });

  it('writes prettier-clean files', async () => {
    const prettier = await import('prettier');
    const config = JSON.parse(before.readText('/.prettierrc'));
    const tree = await runAuthRenew(before, { bff: true, dpop: true });
    const server = below(tree, 'src/server/bff').filter((f) => f.endsWith('.ts'));
    expect(server.length).toBe(SERVER.length + 2);
    for (const file of server) {
      const path = `/src/server/bff/${file}`;
      const text = tree.readText(path);
      expect(await prettier.format(text, { ...config, filepath: path })).withContext(path).toBe(text);
    }
  });

  it('switching --dpop on with --overwrite adds the DPoP lines and keeps an edit', async () => {
    const plain = await runAuthRenew(before, { bff: true });
    const edited = plain.readText('/src/server/bff/bff.config.ts').replace("// api: 'https://api.example.com/v1',", "orders: 'https://orders.example.com',");
    plain.overwrite('/src/server/bff/bff.config.ts', edited);
    const tree = await runAuthRenew(plain, { bff: true, dpop: true, overwrite: true });
    expect(tree.readText('/src/server/bff/bff.config.ts')).toBe(edited);
    expect(tree.exists('/src/server/bff/dpop.ts')).toBe(true);
    expect(tree.readText('/src/server/bff/upstream-call.ts')).toContain('{ DPoP },');
  });

  it('switching --dpop off with --overwrite deletes the untouched DPoP files and keeps an edited one', async () => {
    const once = await runAuthRenew(before, { bff: true, dpop: true });
    once.overwrite('/src/server/bff/dpop.spec.ts', `${once.readText('/src/server/bff/dpop.spec.ts')}// mine\n`);
    const { entries } = await logged(() => runAuthRenew(once, { bff: true, overwrite: true }));
    expect(once.exists('/src/server/bff/dpop.ts')).toBe(false);
    expect(once.readText('/src/server/bff/dpop.spec.ts')).toContain('// mine');
    expect(once.readText('/src/server/bff/upstream-call.ts')).toBe((await runAuthRenew(loadFixture('ng22-ssr'), { bff: true })).readText('/src/server/bff/upstream-call.ts'));
    expect(entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'ngx-auth-renew: kept your edited src/server/bff/dpop.spec.ts: no longer used by these options; delete when done.']);
  });

  it('a second run changes nothing', async () => {
    const once = await runAuthRenew(before, { bff: true, dpop: true });
    const first = snapshot(once);
    expect(changedFiles(first, snapshot(await runAuthRenew(once, { bff: true, dpop: true })))).toEqual([]);
  });
});

describe('auth-renew: switching --bff off with --overwrite', () => {
  it('gives the browser its own renewal and leaves the server half, which server.ts imports, with one line on removing it', async () => {
    const tree = await runAuthRenew(loadFixture('ng22-ssr'), { bff: true });
    const server = below(tree, 'src/server/bff');
    const { entries } = await logged(() => runAuthRenew(tree, { overwrite: true }));
    expect(below(tree, 'src/server/bff')).toEqual(server);
    expect(tree.readText('/src/server.ts')).toContain('app.use(bff());');
    expect(tree.readText('/src/app/auth/auth.service.ts')).toContain('RenewalScheduler');
    expect(entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'ngx-auth-renew: the server half in src/server/bff is left as it is (server.ts imports it): ' +
      'remove app.use(bff()) and its import from server.ts, then src/server/bff, when you no longer need them.']);
  });
});

describe('auth-renew --bff next steps', () => {
  it('name the confidential client, its URIs and the server\'s environment', async () => {
    const { runWithTasks, BASE_OPTIONS } = await import('./workspace-fixtures');
    const entries: { level: string; message: string }[] = [];
    const subscription = runner.logger.subscribe((e) => entries.push({ level: e.level, message: e.message }));
    await runWithTasks('auth-renew', { ...BASE_OPTIONS, bff: true }, loadFixture('ng22-ssr'));
    subscription.unsubscribe();
    const info = entries.filter((e) => e.level === 'info').map((e) => e.message).join('\n');
    expect(info).toContain('register client "spa" as a confidential client');
    expect(info).toContain('redirect URI <origin>/bff/callback');
    expect(info).toContain('back-channel logout URI <origin>/bff/backchannel-logout');
    expect(info).toContain('BFF_CLIENT_SECRET and BFF_ORIGIN');
    expect(info).toContain('provideHttpClient(withInterceptors([authInterceptor]))');
    expect(info).not.toContain('secureRoutes');
    expect(entries.some((e) => e.level === 'warn')).toBe(false);
  });
});

describe('auth-renew --bff on an app with @angular/ssr (Angular 20, Karma)', () => {
  it('wires server.ts and the server routes the same way, and writes Karma-style specs', async () => {
    const before = loadFixture('ng20-ssr');
    const original = before.readText('/src/server.ts');
    const tree = await runAuthRenew(before, { bff: true });
    const { added, removed } = lineDiff(original, tree.readText('/src/server.ts'));
    expect(removed).toEqual([]);
    expect(added).toEqual([`import { bff } from './server/bff/bff';`, 'app.use(bff());']);
    expect(tree.readText('/src/app/app.routes.server.ts')).toContain('renderMode: RenderMode.Server');
    expect(below(tree, 'src/server/bff')).toEqual(SERVER);
    expect(tree.readText('/src/server/bff/memory-store.spec.ts')).not.toContain("from 'vitest'");
    expect(JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json')).specs).toBe('plain');
  });
});
