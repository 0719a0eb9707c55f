// ng add --bff on an app with @angular/ssr, built and served by its own server
// (`node dist/e2e-app/server/server.mjs`) behind a TLS front at https://app.test:<port> (a site other
// than the provider's, http://localhost:<port>), in chromium. The confidential client `bff` of
// e2e/provider/provider.ts (20 s access tokens, refresh tokens rotated, back-channel logout to the
// instance). First with sessions in memory (one instance), then on Debian's redis-server with two
// instances and a restart.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { BFF_CLIENT, BFF_DPOP_CLIENT, startProvider } from '../provider/provider.ts';
import type { LogEntry, RunningProvider } from '../provider/provider.ts';
import { E2E, makeApp, makeBase, run } from '../make-app.ts';
import { AT_TTL, Checks, LOCAL_ISSUER, PROVIDER_PORT, currentBrowser, packedTarball, say, sleep } from '../lib/kit.ts';
import { call, freePort, startAppServer, startRedis, startTlsFront } from '../lib/bff-stack.ts';
import type { Answer, AppServer, Redis, TlsFront } from '../lib/bff-stack.ts';

export const FRONT_PORT = Number(process.env.E2E_BFF_PORT ?? 4443);
export const ORIGIN = `https://app.test:${FRONT_PORT}`;
/** --renew-before: the server renews a token with less than this many seconds left. */
export const RENEW_BEFORE = 5;
export const SESSION_COOKIE = '__Host-Http-bff-session';
const CSRF = { 'x-bff-csrf': '1' };
export const isRefresh = (e: LogEntry) => e.path === '/token' && e.method === 'POST' && e.grant_type === 'refresh_token';

export interface BuiltBff {
  dir: string;
  serverMjs: string;
  browserDist: string;
}

/**
 * ng new --ssr, ng add --bff (and --dpop), the e2e page (e2e/bff-app) with HttpClient and the
 * interceptor, ng build (also used by bench/bff-proxy.ts). `--reuse-bff` takes the app of an
 * earlier run.
 */
export async function buildBffApp(packed?: string, { dpop = false } = {}): Promise<BuiltBff> {
  const id = dpop ? 'bff-dpop' : 'bff';
  const reused = join(E2E, '.work', 'apps', id, 'dist', 'e2e-app');
  if (process.argv.includes('--reuse-bff') && existsSync(join(reused, 'server', 'server.mjs'))) {
    return { dir: join(E2E, '.work', 'apps', id), serverMjs: join(reused, 'server', 'server.mjs'), browserDist: join(reused, 'browser') };
  }
  const tarball = packed ?? await packedTarball();
  const base = await makeBase({ ssr: true, reuse: process.argv.includes('--reuse-base') || undefined });
  const client = dpop ? BFF_DPOP_CLIENT : BFF_CLIENT;
  const flags = ['--authority', LOCAL_ISSUER, '--client-id', client.id, '--bff', '--renew-before', String(RENEW_BEFORE), ...(dpop ? ['--dpop'] : [])];
  const t0 = Date.now();
  const made = await makeApp({ id, tarball, flags, base, page: false, build: false });
  const app = join(made.dir, 'src', 'app');
  for (const f of readdirSync(join(E2E, 'bff-app'))) cpSync(join(E2E, 'bff-app', f), join(app, f));
  rmSync(join(app, 'app.spec.ts'), { force: true });
  const configPath = join(app, 'app.config.ts');
  const config = readFileSync(configPath, 'utf8')
    .replace(/\n(export const appConfig)/, "\nimport { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';\nimport { authInterceptor } from './auth/auth.interceptor';\n\n$1")
    .replace(/providers: \[/, 'providers: [\n    provideHttpClient(withFetch(), withInterceptors([authInterceptor])),');
  writeFileSync(configPath, config);
  const t1 = Date.now();
  await run('ng', ['build'], { cwd: made.dir, logFile: made.logFile });
  say(`  built bff: ng add ${made.ms.add} ms, ng build ${Date.now() - t1} ms (${Math.round((Date.now() - t0) / 1000)} s in all)`);
  const dist = join(made.dir, 'dist', 'e2e-app');
  return { dir: made.dir, serverMjs: join(dist, 'server', 'server.mjs'), browserDist: join(dist, 'browser') };
}

/** What one instance gets from the environment (the client secret never is in a file). */
export function instanceEnv(redis?: Redis): Record<string, string> {
  return {
    BFF_CLIENT_SECRET: BFF_CLIENT.secret,
    BFF_ORIGIN: ORIGIN,
    BFF_UPSTREAMS: `me=${LOCAL_ISSUER}/me`,
    NG_ALLOWED_HOSTS: 'app.test',
    ...(redis ? { BFF_REDIS_URL: redis.url, BFF_SESSION_KEY: Buffer.alloc(32, 7).toString('base64url') } : {}),
  };
}

/** The headers of a same-origin call of the app, with the session cookie. */
export const asApp = (cookie: string, extra: Record<string, string> = {}) =>
  ({ cookie: `${SESSION_COOKIE}=${cookie}`, origin: ORIGIN, 'sec-fetch-site': 'same-origin', ...CSRF, ...extra });

export async function sessionCookie(context: BrowserContext): Promise<string> {
  return (await context.cookies(ORIGIN)).find((c) => c.name === SESSION_COOKIE)?.value ?? '';
}

/** Every response body the page receives (text-like ones), for the "no token" check. */
export function recordBodies(page: Page): string[] {
  const bodies: string[] = [];
  page.on('response', (response) => {
    const type = response.headers()['content-type'] ?? '';
    if (!/json|text|javascript|html/.test(type) || response.status() === 302 || response.status() === 303) return;
    response.text().then((t) => bodies.push(t), () => {});
  });
  return bodies;
}

/** The body and headers of the next document (navigation) response of the page for `url`. */
function nextDocument(page: Page, url: string): Promise<{ html: string; headers: Record<string, string> }> {
  return new Promise((ok) => {
    const listener = (response: import('playwright-core').Response) => {
      if (response.url() !== url || !response.request().isNavigationRequest()) return;
      page.off('response', listener);
      response.text().then((html) => ok({ html, headers: response.headers() }), () => ok({ html: '', headers: response.headers() }));
    };
    page.on('response', listener);
  });
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as unknown as { appReady?: boolean }).appReady === true, null, { timeout: 20000 });
}

type PageApi = { api(path: string): Promise<{ status: number; body: unknown }>; apiMany(path: string, n: number): Promise<{ status: number; body: unknown }[]> };
export const api = (page: Page, path: string) => page.evaluate((p) => (window as unknown as PageApi).api(p), path);
export const apiMany = (page: Page, path: string, n: number) => page.evaluate(([p, k]) => (window as unknown as PageApi).apiMany(p, k), [path, n] as [string, number]);

/** Signs in through the page's button; returns the landing page's first HTML (server-rendered) and the time. */
export async function signIn(page: Page, c: Checks, provider: RunningProvider): Promise<{ html: string; headers: Record<string, string>; t0: number }> {
  await page.goto(`${ORIGIN}/`);
  await waitReady(page);
  const t0 = Date.now();
  const landing = nextDocument(page, `${ORIGIN}/`);
  await page.click('button:has-text("Sign in")');
  try {
    await page.waitForFunction(() => document.querySelector('#user')?.textContent?.includes('Signed in as'), null, { timeout: 30000 });
  } catch {
    const trail = provider.since(t0).map((e) => `${e.method ?? ''} ${e.path ?? e.event} ${e.status ?? ''} ${e.error ?? ''}`);
    c.must(false, 'sign-in completes', `${page.url()}; provider: ${trail.join(' | ')}`);
  }
  const { html, headers } = await landing;
  return { html, headers, t0 };
}

/** Waits until the access token issued last is within RENEW_BEFORE of expiry (the server then renews). */
export async function waitTokenStale(provider: RunningProvider): Promise<void> {
  const issued = provider.log.filter((e) => e.issued).at(-1);
  const staleAt = (issued?.t ?? Date.now()) + (AT_TTL - RENEW_BEFORE) * 1000 + 500;
  await sleep(Math.max(0, staleAt - Date.now()));
}

export async function bff(c: Checks): Promise<void> {
  const figures: Record<string, unknown> = {};
  c.figures = figures;
  const built = await buildBffApp();

  // 1. No token code in the browser: the bundle holds no protocol library, no renewal scheduler, no silent renew page.
  const browserJs = readdirSync(built.browserDist).filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(built.browserDist, f), 'utf8')).join('\n');
  c.ok(!/oauth4webapi|openid-client|refresh_token|silent-renew|RenewalScheduler/.test(browserJs) && !readdirSync(built.browserDist).some((f) => f.startsWith('silent-renew')),
    'browser bundle: no oauth4webapi/openid-client, no refresh_token, no scheduler, no silent-renew.html', `${Math.round(browserJs.length / 1024)} kB of js`);

  const [portA, portB] = [await freePort(), await freePort()];
  const provider = await startProvider({
    port: PROVIDER_PORT, issuer: LOCAL_ISSUER, apps: [ORIGIN], accessTokenTtl: AT_TTL, quiet: true,
    bff: { origin: ORIGIN, backchannelLogoutUri: `http://localhost:${portA}/bff/backchannel-logout` },
  });
  const servers: AppServer[] = [];
  let front: TlsFront | undefined;
  let redis: Redis | undefined;
  const context = await currentBrowser().newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 640 } });
  try {
    let a = await startAppServer(built.serverMjs, portA, instanceEnv());
    servers.push(a);
    front = await startTlsFront('app.test', FRONT_PORT, portA);
    const page = await context.newPage();
    const bodies = recordBodies(page);

    // 2. Cookie prefix: does this Chromium honour __Host-Http- (HttpOnly only, never set by a script)?
    await page.goto(`${ORIGIN}/bff/none`);
    const planted = await page.evaluate(() => { document.cookie = '__Host-Http-planted=1; Secure; Path=/'; return document.cookie; });
    figures['hostHttpPrefix'] = planted.includes('__Host-Http-planted') ? 'not enforced' : 'enforced';
    c.ok(!planted.includes('__Host-Http-planted'), 'Chromium refuses a __Host-Http- cookie set by script (the prefix is honoured)', planted || '(none)');

    // 3. Sign in: code flow at the provider; the first server-rendered HTML already shows the user.
    const { html, headers: pageHeaders, t0 } = await signIn(page, c, provider);
    const log = provider.since(t0);
    const authReq = log.filter((e) => e.path === '/auth');
    const codeToken = log.filter((e) => e.path === '/token' && e.grant_type === 'authorization_code');
    c.ok(authReq.length === 1 && authReq[0].client_id === 'bff' && authReq[0].code_challenge_method === 'S256' && authReq[0].has_state && authReq[0].has_nonce,
      'login: one /auth for client bff with PKCE S256, state and nonce', `${authReq.length} /auth`);
    c.ok(codeToken.length === 1 && codeToken[0].issued?.refresh_token, 'login: one authorization_code token request (server side), a refresh token issued');
    c.ok(/Signed in as Test User/.test(html), 'the first server-rendered HTML of the landing page shows the user (no signed-out flash)', html.match(/<p id="user">[^<]*/)?.[0] ?? 'no #user');
    c.ok(/private/.test(pageHeaders['cache-control'] ?? '') && /no-store/.test(pageHeaders['cache-control'] ?? ''), 'that page: Cache-Control private, no-store', pageHeaders['cache-control']);
    const cookies = await context.cookies(ORIGIN);
    const session = cookies.find((k) => k.name === SESSION_COOKIE);
    c.ok(session && session.httpOnly && session.secure && session.sameSite === 'Strict' && session.path === '/' && !session.domain.startsWith('.') && /^[A-Za-z0-9_-]{43}$/.test(session.value),
      `session cookie ${SESSION_COOKIE}: HttpOnly, Secure, SameSite=Strict, Path=/, host-only, a random id`, session ? `${session.value.length} chars, sameSite ${session.sameSite}` : cookies.map((k) => k.name).join(','));
    c.ok(!cookies.some((k) => k.name === '__Host-Http-bff-login'), 'the sign-in-in-progress cookie is gone');

    // 4. No token anywhere the page's script can reach.
    const issuedTokens = provider.log.flatMap((e) => [e.issued?.access_token, e.issued?.refresh_token]).filter((t): t is string => !!t);
    const reach = await page.evaluate(() => ({ cookie: document.cookie, local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
    await sleep(300);
    const leaks = [reach.cookie, reach.local, reach.session, ...bodies].filter((text) => issuedTokens.some((t) => text.includes(t)));
    c.ok(issuedTokens.length >= 2 && !reach.cookie && reach.local === '{}' && reach.session === '{}' && leaks.length === 0,
      'no token in document.cookie, localStorage, sessionStorage or any response body the page received', `${bodies.length} bodies checked, ${leaks.length} with a token; document.cookie "${reach.cookie}"`);

    // 5. /bff/user and the API proxy.
    const userAnswer = await page.evaluate(async () => { const r = await fetch('/bff/user', { headers: { 'x-bff-csrf': '1' } }); return { status: r.status, cc: r.headers.get('cache-control'), body: await r.json() }; });
    c.ok(userAnswer.status === 200 && userAnswer.body.user?.sub === 'test-user' && userAnswer.body.expiresAt > Date.now() && /no-store/.test(userAnswer.cc ?? '') && !JSON.stringify(userAnswer.body).match(/token/i),
      'GET /bff/user: the claims and the session expiry, no token, not cacheable', JSON.stringify(userAnswer.body).slice(0, 120));
    let t = Date.now();
    const me = await api(page, '/bff/api/me');
    const meLog = provider.since(t).filter((e) => e.path === '/me');
    c.ok(me.status === 200 && (me.body as { sub?: string }).sub === 'test-user' && meLog.length === 1 && meLog[0].bearer === codeToken[0].issued?.access_token,
      'proxied GET /bff/api/me (through HttpClient + interceptor) reaches the provider\'s /me with the session\'s access token', `${me.status}`);
    const notListed = await api(page, '/bff/api/elsewhere/x');
    const traversal = await call(portA, '/bff/api/me/%2e%2e/token', { headers: asApp(await sessionCookie(context)) });
    c.ok(notListed.status === 404 && traversal.status === 404, 'an API not in the allow-list is 404 (never an open proxy); dot segments are refused', `${notListed.status}, ${traversal.status}`);

    // 5b. The guard on the server: signed out, a guarded page is a redirect to the sign-in; signed in, it renders.
    const page_ = { accept: 'text/html', host: `app.test:${FRONT_PORT}` };
    const guardedOut = await call(portA, '/private', { headers: page_ });
    const guardedIn = await call(portA, '/private', { headers: { ...page_, cookie: `${SESSION_COOKIE}=${await sessionCookie(context)}` } });
    c.ok(guardedOut.status === 302 && guardedOut.headers.location === '/bff/login?returnTo=%2Fprivate' && guardedIn.status === 200 && /Signed in as/.test(guardedIn.body),
      'authGuard on the server: signed out → 302 to /bff/login?returnTo=%2Fprivate; signed in → the page, rendered with the user',
      `${guardedOut.status} ${guardedOut.headers.location ?? ''}; ${guardedIn.status}`);

    // 6. CSRF: no header → 403; another origin → refused (by the browser's CORS, and by the server).
    const noHeader = await page.evaluate(async () => (await fetch('/bff/user')).status);
    const forged = await call(portA, '/bff/user', { headers: asApp(await sessionCookie(context), { origin: 'https://evil.test' }) });
    const crossSite = await call(portA, '/bff/logout', { method: 'POST', headers: asApp(await sessionCookie(context), { origin: ORIGIN, 'sec-fetch-site': 'cross-site' }) });
    c.ok(noHeader === 403 && forged.status === 403 && crossSite.status === 403, 'CSRF: without the header 403; Origin of another site 403; Sec-Fetch-Site cross-site 403',
      `${noHeader}, ${forged.status}, ${crossSite.status}`);
    const other = await context.newPage();
    await other.goto(`${LOCAL_ISSUER}/__log`);
    const fromOther = await other.evaluate(async (url) => {
      try { const r = await fetch(url, { credentials: 'include', headers: { 'x-bff-csrf': '1' } }); return `status ${r.status}`; } catch (e) { return `refused: ${(e as Error).message}`; }
    }, `${ORIGIN}/bff/user`);
    c.ok(fromOther.startsWith('refused'), 'a page of another origin cannot call /bff/ with the header (no CORS preflight granted)', fromOther);

    // 7. SameSite=Strict on a navigation another site starts: rendered signed out, then the browser asks and signs in.
    const crossNav = nextDocument(other, `${ORIGIN}/`);
    await other.evaluate((url) => { location.href = url; }, `${ORIGIN}/`);
    const crossHtml = (await crossNav).html;
    await waitReady(other);
    const followed = await other.waitForFunction(() => document.querySelector('#user')?.textContent?.includes('Signed in as'), null, { timeout: 10000 }).then(() => true, () => false);
    figures['strictCrossSiteNavigation'] = { renderedSignedIn: /Signed in as/.test(crossHtml), signedInAfterHydration: followed };
    c.ok(/Signed out/.test(crossHtml) && followed, 'SameSite=Strict: a navigation from another site renders signed out (no cookie sent), then the page signs in by GET /bff/user',
      `server HTML ${/Signed out/.test(crossHtml) ? 'signed out' : 'signed in'}, then ${followed ? 'signed in' : 'still signed out'}`);
    await other.close();

    // 8. Renewal on the server: after expiry, five parallel proxied calls cause exactly one refresh; rotation honoured.
    await waitTokenStale(provider);
    t = Date.now();
    const five = await apiMany(page, '/bff/api/me', 5);
    const refreshes = provider.since(t).filter(isRefresh);
    const meAfter = provider.since(t).filter((e) => e.path === '/me');
    figures['parallelRefreshes'] = refreshes.length;
    c.ok(five.every((r) => r.status === 200) && refreshes.length === 1 && meAfter.every((e) => e.bearer === refreshes[0]?.issued?.access_token),
      'after expiry, 5 parallel proxied calls: all 200, exactly 1 refresh, all with the new token', `${refreshes.length} refresh(es), statuses ${five.map((r) => r.status).join(',')}`);
    c.ok(refreshes[0]?.refresh_token_sent === codeToken[0].issued?.refresh_token && refreshes[0]?.issued?.refresh_token && refreshes[0].issued.refresh_token !== refreshes[0].refresh_token_sent,
      'the refresh used the sign-in\'s refresh token and got a rotated one');

    // 9. Provider 503 → 502, session kept.
    await waitTokenStale(provider);
    const fault = provider.addFault({ path: '/token', grant: 'refresh_token', kind: 'status', status: 503, times: 1 });
    const outage = await api(page, '/bff/api/me');
    provider.clearFaults(fault);
    const afterOutage = await api(page, '/bff/api/me');
    const rotated = provider.log.filter(isRefresh).at(-1);
    c.ok(outage.status === 502 && afterOutage.status === 200 && rotated?.refresh_token_sent === refreshes[0]?.issued?.refresh_token,
      'provider 503 at refresh: 502, session kept; next call refreshes with the rotated token', `${outage.status} then ${afterOutage.status}`);

    // 10. Back-channel logout: the provider's logout_token ends the session here.
    const cookieBefore = await sessionCookie(context);
    t = Date.now();
    const bcPage = await context.newPage();
    await bcPage.goto(`${LOCAL_ISSUER}/session/end`);
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && !provider.since(t).some((e) => e.event === 'backchannel.success' || e.event === 'backchannel.error')) await sleep(100);
    const bc = provider.since(t).find((e) => e.event?.startsWith('backchannel'));
    const afterBc = await call(portA, '/bff/user', { headers: asApp(cookieBefore) });
    const apiAfterBc = await api(page, '/bff/api/me');
    c.ok(bc?.event === 'backchannel.success' && afterBc.status === 401 && apiAfterBc.status === 401,
      'back-channel logout (the user signed out at the provider): the next calls get 401', `${bc?.event ?? 'no back-channel call'} ${bc?.error ?? ''}; /bff/user ${afterBc.status}, api ${apiAfterBc.status}`);
    await bcPage.close();

    // 11. No open redirect: a sign-in asked to come back to another site comes back to this app's /.
    await page.goto(`${ORIGIN}/bff/login?returnTo=${encodeURIComponent('//evil.test/steal')}`);
    const landed = await page.waitForFunction(() => document.querySelector('#user')?.textContent?.includes('Signed in as'), null, { timeout: 30000 })
      .then(() => page.url(), () => page.url());
    c.ok(landed === `${ORIGIN}/`, 'returnTo=//evil.test/steal: signed in and back on this app\'s / (no open redirect)', landed);

    // 12. invalid_grant ends the session.
    await waitTokenStale(provider);
    const revoked = provider.addFault({ path: '/token', grant: 'refresh_token', kind: 'status', status: 400, error: 'invalid_grant', times: 1 });
    const ended = await api(page, '/bff/api/me');
    provider.clearFaults(revoked);
    const userAfter = await call(portA, '/bff/user', { headers: asApp(await sessionCookie(context)) });
    const events = await page.evaluate(() => ((window as unknown as { authEvents: { type: string }[] }).authEvents).map((e) => e.type));
    c.ok(ended.status === 401 && userAfter.status === 401 && events.includes('session-ended'),
      'invalid_grant at refresh: 401, the session is gone, the app gets session-ended', `${ended.status}, /bff/user ${userAfter.status}, events ${events.join(',')}`);

    // 13. Logout: revocation, provider session ended, cookie cleared.
    await signIn(page, c, provider);
    const lastRt = provider.log.filter((e) => e.issued?.refresh_token).at(-1)?.issued?.refresh_token;
    const loggedOutCookie = await sessionCookie(context);
    t = Date.now();
    await page.click('button:has-text("Sign out")');
    const endBy = Date.now() + 15000;
    while (Date.now() < endBy && !provider.since(t).some((e) => e.event === 'end_session.success')) await sleep(100);
    await page.waitForURL((u) => u.origin === ORIGIN, { timeout: 15000 }).catch(() => {});
    await waitReady(page).catch(() => {});
    const outLog = provider.since(t);
    const stillThere = await call(portA, '/bff/user', { headers: asApp(loggedOutCookie) });
    c.ok(outLog.some((e) => e.path === '/token/revocation' && e.revoked === lastRt) && outLog.some((e) => e.event === 'end_session.success'),
      'logout revoked the refresh token and ended the provider session', `${outLog.filter((e) => e.path === '/token/revocation').length} revocation(s)`);
    c.ok(!(await sessionCookie(context)) && stillThere.status === 401 && /Signed out/.test(await page.textContent('#user').catch(() => '') ?? ''),
      'logout cleared the cookie, the old session id is dead, the app shows signed out', `${stillThere.status}`);

    // 14. Redis: two instances share sessions; one refresh across both; a restart keeps the session.
    redis = await startRedis();
    await a.stop();
    servers.length = 0;
    a = await startAppServer(built.serverMjs, portA, instanceEnv(redis));
    let b = await startAppServer(built.serverMjs, portB, instanceEnv(redis));
    servers.push(a, b);
    front.target = portA;
    await signIn(page, c, provider);
    const shared = await sessionCookie(context);
    front.target = portB;
    const viaB = await api(page, '/bff/api/me');
    c.ok(viaB.status === 200, 'Redis: signed in through instance A, a proxied call through instance B works', `${viaB.status}`);
    await waitTokenStale(provider);
    t = Date.now();
    const both = await Promise.all([...Array.from({ length: 5 }, () => call(portA, '/bff/api/me', { headers: asApp(shared) })),
      ...Array.from({ length: 5 }, () => call(portB, '/bff/api/me', { headers: asApp(shared) }))]);
    const across = provider.since(t).filter(isRefresh);
    figures['refreshesAcrossInstances'] = across.length;
    c.ok(both.every((r: Answer) => r.status === 200) && across.length === 1, 'Redis: after expiry, 5 calls on A + 5 on B at once: exactly 1 refresh across both',
      `${across.length} refresh(es); statuses ${both.map((r: Answer) => r.status).join(',')}`);
    const keys = (await redis.command('KEYS', '*')).split('\n').filter(Boolean);
    const values = await Promise.all(keys.filter((k) => k.startsWith('session:')).map((k) => redis!.command('GET', k)));
    const tokensNow = provider.log.flatMap((e) => [e.issued?.access_token, e.issued?.refresh_token]).filter((x): x is string => !!x);
    c.ok(values.length >= 1 && values.every((v) => v.split('.').length === 5 && !tokensNow.some((tok) => v.includes(tok))) && !keys.some((k) => k.includes(shared)),
      'Redis holds sessions encrypted (JWE) under a hash of the id: no token, no cookie value', `${keys.length} keys, ${values.length} session record(s)`);
    await a.stop();
    await b.stop();
    servers.length = 0;
    a = await startAppServer(built.serverMjs, portA, instanceEnv(redis));
    b = await startAppServer(built.serverMjs, portB, instanceEnv(redis));
    servers.push(a, b);
    front.target = portA;
    const afterRestart = await api(page, '/bff/api/me');
    const userRestart = await call(portB, '/bff/user', { headers: asApp(shared) });
    c.ok(afterRestart.status === 200 && userRestart.status === 200, 'Redis: both servers restarted, the session is still there', `${afterRestart.status}, ${userRestart.status}`);

    // 15. Lifetimes: idle (no use for BFF_IDLE_MINUTES) and absolute (BFF_ABSOLUTE_HOURS after sign-in, however used).
    await a.stop();
    await b.stop();
    servers.length = 0;
    a = await startAppServer(built.serverMjs, portA, { ...instanceEnv(), BFF_IDLE_MINUTES: '0.05' });
    servers.push(a);
    front.target = portA;
    await signIn(page, c, provider);
    const idleCookie = await sessionCookie(context);
    const fresh = await call(portA, '/bff/user', { headers: asApp(idleCookie) });
    await sleep(4000);
    const idle = await call(portA, '/bff/user', { headers: asApp(idleCookie) });
    c.ok(fresh.status === 200 && idle.status === 401, 'idle lifetime (3 s here): a session unused for 4 s is over', `${fresh.status} then ${idle.status}`);
    await a.stop();
    servers.length = 0;
    a = await startAppServer(built.serverMjs, portA, { ...instanceEnv(), BFF_ABSOLUTE_HOURS: String(6 / 3600) });
    servers.push(a);
    await signIn(page, c, provider);
    const usedCookie = await sessionCookie(context);
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) {
      statuses.push((await call(portA, '/bff/user', { headers: asApp(usedCookie) })).status);
      await sleep(1000);
    }
    c.ok(statuses[0] === 200 && statuses.at(-1) === 401 && statuses.indexOf(401) >= 3,
      'absolute lifetime (6 s here): a session used every second still ends', statuses.join(','));
    say(`    figures: ${JSON.stringify(figures)}`);
  } finally {
    provider.clearFaults();
    await Promise.all(servers.map((s) => s.stop()));
    await front?.close();
    await redis?.stop();
    await provider.close();
    await Promise.race([context.close().catch(() => {}), sleep(5000)]);
  }
}
