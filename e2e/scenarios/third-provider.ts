// A third, independent OpenID Provider: better-auth's OAuth 2.1 / OIDC provider plugin
// (e2e/provider/better-auth.ts), started here on localhost. Two apps are `ng add`ed against it
// (the run's base workspace and tarball, provider already up so that ng add's provider check reads
// its discovery) and built: code + refresh-token (client spa-code), and the same with --dpop
// (client spa-dpop). Each signs the test user in in chromium (the launcher's login page, which posts
// to better-auth's sign-in API: better-auth ships no UI), renews by refresh token, calls the
// provider's userinfo through the generated interceptor, and logs out (revocation, RP-initiated
// logout). Ports: E2E_BA_PORT (9110) for the provider, the app on E2E_APP_PORT as elsewhere.
// Figures from the page (window.auth, its events) and from what the provider answered (its log).
import { readFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { BA_USER, startBetterAuth } from '../provider/better-auth.ts';
import type { BaLogEntry, RunningBetterAuth } from '../provider/better-auth.ts';
import { makeApp } from '../make-app.ts';
import type { MadeApp } from '../make-app.ts';
import { startStatic } from '../static-server.ts';
import type { StaticServer } from '../static-server.ts';
import {
  APP, APP_PORT, AT_TTL, Checks, Fatal, PERIOD, RENEW_BEFORE, TOLERANCE, fmt, currentBrowser, readState, say, sleep, stats,
  waitForApp, watchPage, workspaceInputs,
} from '../lib/kit.ts';
import type { PageState, SeenEvent, Sink } from '../lib/kit.ts';
import { describeEvents, storedSessions, target, waitNewToken } from './helpers.ts';

const BA_PORT = Number(process.env.E2E_BA_PORT ?? 9110);
/** Every request of the harness to the provider gives up after this. */
const DEADLINE = 5000;

interface Part {
  id: string;
  clientId: 'spa-code' | 'spa-dpop';
  dpop: boolean;
  renewals: number;
}

const PARTS: Part[] = [
  { id: 'better-auth-code-refresh', clientId: 'spa-code', dpop: false, renewals: 3 },
  { id: 'better-auth-code-refresh-dpop', clientId: 'spa-dpop', dpop: true, renewals: 2 },
];

interface PartFigures {
  signInMs?: number;
  /** From the login form's submit to the page signed in. */
  afterFormMs?: number;
  offsets: number[];
  intervals: number[];
  rotated: boolean[];
  logoutMs?: number;
  /** What the provider answered to the revocations at logout. */
  revocation: string[];
  build?: { add?: number; build?: number };
}

const isRefresh = (e: BaLogEntry) => e.path === '/oauth2/token' && e.method === 'POST' && e.grant_type === 'refresh_token';
const isCode = (e: BaLogEntry) => e.path === '/oauth2/token' && e.method === 'POST' && e.grant_type === 'authorization_code';
const trail = (log: BaLogEntry[]) => log.map((e) => `${e.method} ${e.path} ${e.status ?? ''}${e.error ? ` ${e.error}: ${e.error_description ?? ''}` : ''}`).join('\n        ');

/** A form POST to the provider from node, with a deadline. */
async function post(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; error: string }> {
  const res = await fetch(url, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form), signal: AbortSignal.timeout(DEADLINE),
  });
  const body = await res.json().catch(() => ({})) as { error?: string };
  return { status: res.status, error: body.error ?? '' };
}

/**
 * Where the provider sends a browser for an authorization request: the Location of a redirect, or
 * the `url` of the JSON the plugin answers to a request that is not a navigation.
 */
async function authorizeOutcome(context: BrowserContext, url: URL): Promise<string> {
  const res = await context.request.get(url.href, { maxRedirects: 0, timeout: DEADLINE });
  const location = res.headers().location;
  if (location) return location;
  const body = await res.json().catch(() => null) as { url?: string } | null;
  return body?.url ?? `HTTP ${res.status()}`;
}

export async function thirdProvider(c: Checks): Promise<void> {
  const figures: Record<string, unknown> = {};
  c.figures = figures;
  const provider = await startBetterAuth({ port: BA_PORT, apps: [APP], accessTokenTtl: AT_TTL, quiet: true });
  const builds: Promise<Built>[] = [];
  try {
    const disc = await provider.discovery();
    figures['provider'] = `better-auth ${provider.version} + @better-auth/oauth-provider`;
    say(`    better-auth ${provider.version} at ${provider.issuer}; discovery: revocation ${disc['revocation_endpoint'] ? 'yes' : 'no'}, end_session ${disc['end_session_endpoint'] ? 'yes' : 'no'}, DPoP algs ${JSON.stringify(disc['dpop_signing_alg_values_supported'] ?? null)}, id_token algs ${JSON.stringify(disc['id_token_signing_alg_values_supported'])}`);
    c.must(disc['issuer'] === provider.issuer, 'the provider\'s discovery names its issuer', String(disc['issuer']));
    const offersDpop = Array.isArray(disc['dpop_signing_alg_values_supported']) && (disc['dpop_signing_alg_values_supported'] as string[]).includes('ES256');
    c.ok(offersDpop, 'the provider offers DPoP with ES256 proofs (discovery dpop_signing_alg_values_supported)', JSON.stringify(disc['dpop_signing_alg_values_supported']));
    const parts = PARTS.filter((p) => !p.dpop || offersDpop);
    // One build after the other, the next one while the browser runs the part before (mostly waits).
    let previous: Promise<unknown> = Promise.resolve();
    for (const part of parts) {
      const build = previous.then(() => buildPart(provider, part, disc));
      build.catch(() => {}); // awaited below (a failed build stops the ones after it)
      builds.push(build);
      previous = build;
    }
    for (const [i, part] of parts.entries()) {
      const pf: PartFigures = { offsets: [], intervals: [], rotated: [], revocation: [] };
      figures[part.id] = pf;
      await runPart(c, provider, part, pf, disc, await builds[i]);
    }
  } finally {
    await Promise.allSettled(builds); // no ng add left running against a stopped provider
    await provider.close();
  }
}

/** `ng add` with the provider up (its provider check reads the discovery document), then `ng build`. */
async function buildPart(provider: RunningBetterAuth, part: Part, disc: Record<string, unknown>): Promise<Built> {
  const { tarball, base } = await workspaceInputs();
  const t0 = Date.now();
  const made = await makeApp({
    id: part.id, tarball, base, secureRoutes: [String(disc['userinfo_endpoint'])],
    flags: ['--authority', provider.issuer, '--client-id', part.clientId, '--flow', 'code', '--renewal', 'refresh-token',
      '--renew-before', String(RENEW_BEFORE), ...(part.dpop ? ['--dpop'] : [])],
  });
  say(`  built ${part.id}: copy ${made.ms.copy} ms, ng add ${made.ms.add} ms, ng build ${made.ms.build} ms`);
  // ng add's own request for the discovery document (from node: no Origin; the harness reads it
  // only before the builds, the page with an Origin).
  const read = provider.since(t0).filter((e) => e.path === '/.well-known/openid-configuration' && !e.origin);
  return { made, discoveryReads: read.length };
}

interface Built {
  made: MadeApp;
  /** Discovery requests ng add made (its provider check). */
  discoveryReads: number;
}

async function runPart(c: Checks, provider: RunningBetterAuth, part: Part, pf: PartFigures, disc: Record<string, unknown>,
  { made, discoveryReads }: Built): Promise<void> {
  const label = part.dpop ? 'DPoP' : 'code + refresh-token';
  const userinfo = String(disc['userinfo_endpoint']);
  pf.build = { add: made.ms.add, build: made.ms.build };
  const addLog = readFileSync(made.logFile, 'utf8');
  const warned = addLog.split('\n').filter((l) => /ngx-auth-renew: (could not read|the provider at)/.test(l)).map((l) => l.trim());
  c.ok(discoveryReads === 1 && warned.length === 0, `${label}: ng add's provider check read the discovery document and found nothing amiss`,
    `${discoveryReads} discovery request(s) from ng add; ${warned.join(' | ') || 'no warning'}`);

  let server: StaticServer | undefined;
  let context: BrowserContext | undefined;
  try {
    server = await startStatic({ root: made.dist, port: APP_PORT, providers: [provider.issuer] });
    context = await currentBrowser().newContext({ viewport: { width: 900, height: 640 } });
    // AuthEvents reported by the page through this binding survive its navigations (logout).
    const events: SeenEvent[] = [];
    await context.exposeBinding('e2eEvent', (source, e: Omit<SeenEvent, 'page'>) => { events.push({ ...e, page: source.page }); });
    const page = await context.newPage();
    const sink: Sink = { csp: [], errors: [], dialogs: [] };
    watchPage(page, sink);
    const signedIn = await signIn(c, provider, page, part, pf, sink);
    const last = await renewals(c, provider, page, part, pf, signedIn);
    if (!last) return;
    await apiCall(c, provider, page, part, userinfo);
    if (part.dpop) await stolenRefreshToken(c, provider, page);
    await logout(c, provider, page, context, part, pf, disc, events);
    c.ok(sink.dialogs.length === 0, `${label}: no alert/confirm dialog`, sink.dialogs.join(' | '));
    say(`    figures (${label}): sign-in ${pf.signInMs} ms (${pf.afterFormMs} ms after the form); renewals ${pf.offsets.length}, offset from target ms [${fmt(pf.offsets)}] (${stats(pf.offsets)}), interval ms [${fmt(pf.intervals)}]; refresh token rotated [${pf.rotated.join(', ')}]; logout ${pf.logoutMs ?? 'n/a'} ms (revocations: ${pf.revocation.join('; ')})`);
  } finally {
    await server?.close();
    await Promise.race([context?.close().catch(() => {}), sleep(5000)]);
  }
}

/** Sign-in through the provider's login form: code + PKCE, a refresh token, the tokens taken. */
async function signIn(c: Checks, provider: RunningBetterAuth, page: Page, part: Part, pf: PartFigures, sink: Sink): Promise<{ s: PageState; code: BaLogEntry | undefined }> {
  const label = part.dpop ? 'DPoP' : 'code + refresh-token';
  await page.goto(`${APP}/`);
  await waitForApp(page);
  c.must(!(await readState(page)).isAuthenticated, `${label}: starts signed out`);
  const t0 = Date.now();
  await page.evaluate(() => { void window.auth.login(); });
  const loginPage = `${new URL(provider.issuer).origin}/login`;
  try {
    await page.waitForURL((u) => u.href.startsWith(loginPage), { timeout: 15000 });
  } catch {
    throw new Fatal(`${label}: no login form at ${loginPage} (at ${page.url()})\n        ${trail(provider.since(t0))}`);
  }
  await page.fill('#email', BA_USER.email, { timeout: 5000 });
  await page.fill('#password', BA_USER.password, { timeout: 5000 });
  const submitted = Date.now();
  await page.click('#submit', { timeout: 5000 });
  try {
    await page.waitForFunction(() => Boolean(window.auth?.isAuthenticated()), null, { timeout: 20000 });
  } catch {
    const st = await page.evaluate(() => ({ href: location.href, events: window.authEvents ?? null, text: document.body?.innerText?.slice(0, 300) })).catch((e) => String(e));
    throw new Fatal(`${label}: sign-in completes\n        provider: ${trail(provider.since(t0))}\n        page: ${JSON.stringify(st)}\n        console errors: ${sink.errors.slice(-5).join(' | ')}`);
  }
  const s = await readState(page);
  pf.signInMs = s.now - t0;
  pf.afterFormMs = s.now - submitted;
  const log = provider.since(t0);
  const auth = log.filter((e) => e.path === '/oauth2/authorize');
  const code = log.filter(isCode);
  const issued = code.at(-1)?.issued;
  c.ok(s.events.some((e) => e.type === 'signed-in'), `${label}: signed-in event`, describeEvents(s.events, t0));
  c.ok(auth.length === 1 && auth[0].code_challenge_method === 'S256' && auth[0].has_state && auth[0].has_nonce,
    `${label}: one authorization request, PKCE S256 with state and nonce`, `${auth.length} /oauth2/authorize; scope "${auth[0]?.scope}"`);
  c.ok(code.length === 1 && code[0].status === 200 && issued?.access_token === s.accessToken,
    `${label}: one authorization_code request; the page holds the access token the provider issued`, `${code.length} request(s), status ${code[0]?.status}`);
  c.ok(Boolean(issued?.refresh_token) && Boolean(issued?.id_token), `${label}: a refresh token and an id_token issued`, `token scope "${issued?.scope}"`);
  c.ok(Math.abs(Number(s.expiresAt) - (s.now + Number(issued?.expires_in ?? NaN) * 1000)) < 3000,
    `${label}: expiresAt = receipt + expires_in (${issued?.expires_in} s)`, `${Math.round((Number(s.expiresAt) - s.now) / 1000)} s ahead`);
  c.ok(!/[?&](code|state|iss)=/.test(s.href), `${label}: callback parameters removed from the address bar`, s.href);
  if (part.dpop) {
    c.ok(issued?.token_type === 'DPoP' && Boolean(code[0]?.dpop_jkt), `${label}: the code exchange carried a proof and got a DPoP token`,
      `token_type ${issued?.token_type}, proof jkt …${code[0]?.dpop_jkt?.slice(-6)}`);
  } else {
    c.ok(issued?.token_type?.toLowerCase() === 'bearer' && !code[0]?.dpop_jkt, `${label}: a Bearer token, no proof sent`, `token_type ${issued?.token_type}`);
  }
  say(`    ${label}: signed in in ${pf.signInMs} ms (${pf.afterFormMs} ms after submitting the form)`);
  return { s, code: code.at(-1) };
}

/** `part.renewals` scheduled renewals, each one refresh_token request answered with new tokens. */
async function renewals(c: Checks, provider: RunningBetterAuth, page: Page, part: Part, pf: PartFigures,
  { s: start, code }: { s: PageState; code: BaLogEntry | undefined }): Promise<PageState | null> {
  const label = part.dpop ? 'DPoP' : 'code + refresh-token';
  let prev = start;
  let prevRt = code?.issued?.refresh_token;
  const jkt = code?.dpop_jkt;
  let prevReqAt: number | null = null;
  for (let i = 1; i <= part.renewals; i++) {
    const due = target(prev);
    // At most one renewal period + 10 s: a provider that ignored the 20 s lifetime fails here, not an hour later.
    const wait = Math.min(due - Date.now(), PERIOD) + 10000;
    if (!await waitNewToken(page, prev.accessToken, wait)) {
      const st = await readState(page);
      c.ok(false, `${label} renewal ${i}: a new access token`, `none in ${Math.round(wait / 1000)} s (target in ${Math.round((due - Date.now()) / 1000)} s); events ${describeEvents(st.events, prev.now)}\n        ${trail(provider.since(prev.now))}`);
      return null;
    }
    const s = await readState(page);
    const reqs = provider.since(prev.now).filter((e) => isRefresh(e) && e.t <= s.now);
    const r = reqs[0];
    const offset = (r?.t ?? NaN) - due;
    pf.offsets.push(offset);
    if (r && prevReqAt !== null) pf.intervals.push(r.t - prevReqAt);
    if (r) prevReqAt = r.t;
    const rotated = Boolean(r?.issued?.refresh_token) && r?.issued?.refresh_token !== r?.refresh_token_sent;
    pf.rotated.push(rotated);
    const renewed = s.events.filter((e) => e.type === 'renewed' && e.t >= prev.now);
    c.ok(Math.abs(offset) <= TOLERANCE, `${label} renewal ${i}: fired within ${TOLERANCE} ms of expiresAt - renewBefore`, `offset ${Math.round(offset)} ms`);
    c.ok(reqs.length === 1 && r.status === 200 && r.refresh_token_sent === prevRt, `${label} renewal ${i}: one refresh_token request with the latest refresh token, 200`,
      `${reqs.length} request(s), status ${r?.status}${r?.error ? ` ${r.error}: ${r.error_description}` : ''}; sent the latest: ${r?.refresh_token_sent === prevRt}`);
    c.ok(renewed.length === 1 && s.accessToken === r?.issued?.access_token && s.accessToken !== prev.accessToken,
      `${label} renewal ${i}: renewed event, the new access token is the one the provider issued`, `${renewed.length} renewed event(s)`);
    c.ok(Number(s.expiresAt) > Number(prev.expiresAt), `${label} renewal ${i}: expiresAt moved on`, `+${Number(s.expiresAt) - Number(prev.expiresAt)} ms`);
    if (part.dpop) {
      c.ok(r?.dpop_jkt === jkt && r?.issued?.token_type === 'DPoP', `${label} renewal ${i}: a proof of the sign-in key, a DPoP token back`,
        `proof jkt …${r?.dpop_jkt?.slice(-6)} (sign-in …${jkt?.slice(-6)}), token_type ${r?.issued?.token_type}`);
    }
    prevRt = r?.issued?.refresh_token ?? prevRt;
    prev = s;
  }
  return prev;
}

/** The provider's userinfo endpoint through the generated interceptor (secureRoutes). */
async function apiCall(c: Checks, provider: RunningBetterAuth, page: Page, part: Part, userinfo: string): Promise<void> {
  const label = part.dpop ? 'DPoP' : 'code + refresh-token';
  const t = Date.now();
  const res = await page.evaluate((u) => Promise.race([
    window.api(u), new Promise<{ status: number; body: unknown; error: string | null }>((ok) => setTimeout(() => ok({ status: -2, body: null, error: 'no answer in 8 s' }), 8000)),
  ]), userinfo);
  const get = provider.since(t).filter((e) => e.path === '/oauth2/userinfo' && e.method === 'GET');
  const body = res.body as { email?: string } | null;
  c.ok(res.status === 200 && body?.email === BA_USER.email && get.length === 1 && (!part.dpop || Boolean(get[0].dpop_jkt)),
    `${label}: userinfo through the interceptor answers the signed-in user${part.dpop ? ' (a DPoP proof sent)' : ''}`,
    `${res.status} ${res.error ?? ''} ${JSON.stringify(res.body).slice(0, 120)}; ${get.length} request(s)${part.dpop ? `, proof jkt …${get[0]?.dpop_jkt?.slice(-6)}` : ''}`);
}

/** DPoP: the page's refresh token, sent from node without a proof, is refused (it is bound to the key). */
async function stolenRefreshToken(c: Checks, provider: RunningBetterAuth, page: Page): Promise<void> {
  const stored = await storedSessions(page);
  const rt = stored.map((x) => (JSON.parse(x.value) as { refreshToken?: string }).refreshToken).find(Boolean);
  c.must(rt, 'DPoP: a refresh token in the stored session');
  const r = await post(`${provider.issuer}/oauth2/token`, { grant_type: 'refresh_token', refresh_token: String(rt), client_id: 'spa-dpop' });
  c.ok(r.status >= 400, 'DPoP: the page\'s refresh token without a proof is refused by the provider', `${r.status} ${r.error}`);
}

/** Logout: revocation, the provider's session ended, back on the app, signed out, tokens dead. */
async function logout(c: Checks, provider: RunningBetterAuth, page: Page, context: BrowserContext, part: Part, pf: PartFigures,
  disc: Record<string, unknown>, events: SeenEvent[]): Promise<void> {
  const label = part.dpop ? 'DPoP' : 'code + refresh-token';
  const lastIssued = provider.log.filter((e) => e.issued?.refresh_token).at(-1)?.issued;
  const lastRt = lastIssued?.refresh_token;
  const lastAt = (await readState(page)).accessToken;
  const sessionsBefore = await provider.sessions();
  const t0 = Date.now();
  await page.evaluate(() => { void window.auth.logout(); });
  let back = true;
  try {
    await page.waitForURL((u) => u.origin === APP && provider.since(t0).some((e) => e.path === '/oauth2/end-session'), { timeout: 15000 });
    await waitForApp(page);
    await page.waitForFunction(() => !window.auth.isAuthenticated(), null, { timeout: 5000 });
  } catch {
    back = false;
  }
  pf.logoutMs = Date.now() - t0;
  const log = provider.since(t0);
  const st = await readState(page).catch(() => null);
  const signedOut = events.find((e) => e.type === 'signed-out' && e.t >= t0);
  c.ok(back && st && !st.isAuthenticated && st.accessToken === null, `${label}: back on the app, signed out`, `${pf.logoutMs} ms; at ${page.url()}`);
  const stored = await storedSessions(page).catch(() => []);
  c.ok(stored.length === 0, `${label}: the stored session is cleared`, stored.map((x) => x.key).join(', '));
  const revokes = log.filter((e) => e.path === '/oauth2/revoke');
  const revokeSummary = revokes.map((e) => `${e.token_type_hint} ${e.status}${e.error ? ` ${e.error}` : ''}`).join(', ') || 'none';
  const rtRevoke = revokes.find((e) => e.revoked === lastRt);
  const atRevoke = revokes.find((e) => e.revoked === lastAt);
  if (disc['revocation_endpoint']) {
    c.ok(revokes.length === 2 && rtRevoke?.status === 200 && atRevoke,
      `${label}: logout asked to revoke the refresh token and the access token (discovery has a revocation_endpoint); the refresh token's revoked (200)`, revokeSummary);
  } else {
    c.ok(revokes.length === 0, `${label}: no revocation attempted (discovery has no revocation_endpoint)`, revokeSummary);
  }
  // A revocation the provider refused is reported (revocation_failed); one it accepted is not.
  // better-auth answers 400 invalid_request for a token it no longer has (RFC 7009 2.2: 200), as the
  // access token is when the refresh token's revocation, sent at the same time, deleted it first.
  const refused = revokes.filter((e) => (e.status ?? 0) >= 400);
  c.ok(signedOut && (refused.length ? /revocation_failed/.test(signedOut.error ?? '') : !signedOut.error),
    `${label}: signed-out event ${refused.length ? 'names revocation_failed (the provider answered 400 to a revocation)' : 'without revocation_failed (the provider answered 200 to both)'}`,
    signedOut?.error ?? (signedOut ? 'no error' : 'no signed-out event'));
  pf.revocation.push(revokeSummary);
  if (!part.dpop) {
    // Whatever the revocation answered: the access token is dead at the provider's userinfo.
    const res = await fetch(String(disc['userinfo_endpoint']), { headers: { authorization: `Bearer ${lastAt}` }, signal: AbortSignal.timeout(DEADLINE) });
    c.ok(res.status === 401, `${label}: the last access token is refused by userinfo after logout`, `${res.status}`);
  }
  const end = log.find((e) => e.path === '/oauth2/end-session');
  c.ok(end && end.has_id_token_hint && end.post_logout_redirect_uri === `${APP}/` && end.status === 302 && end.location?.startsWith(`${APP}/?state=`),
    `${label}: end_session with id_token_hint and post_logout_redirect_uri, redirected back with state`,
    end ? `${end.status} → ${end.location}${end.error ? ` (${end.error})` : ''}` : 'no end-session request');
  const sessionsAfter = await provider.sessions();
  c.ok(sessionsBefore === 1 && sessionsAfter === 0, `${label}: the provider's session ended`, `provider sessions of the user: ${sessionsBefore} before, ${sessionsAfter} after`);
  const old = await post(`${provider.issuer}/oauth2/token`, { grant_type: 'refresh_token', refresh_token: String(lastRt), client_id: part.clientId });
  c.ok(old.status === 400 && old.error === 'invalid_grant', `${label}: the last refresh token is dead at the provider`, `${old.status} ${old.error}`);
  const probe = new URL(`${provider.issuer}/oauth2/authorize`);
  Object.entries({ client_id: part.clientId, response_type: 'code', scope: 'openid', redirect_uri: `${APP}/`, prompt: 'none', state: 'probe', nonce: 'probe',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }).forEach(([k, v]) => probe.searchParams.set(k, v));
  const outcome = await authorizeOutcome(context, probe);
  c.ok(/[?&]error=login_required/.test(outcome), `${label}: the browser no longer has a provider session (prompt=none → login_required)`, outcome.slice(0, 140));
  if (part.dpop) return; // the quiet period after logout is watched once (code + refresh-token), same code path
  const quiet = Date.now();
  await sleep(PERIOD + 1500);
  const after = provider.since(quiet).filter((e) => e.path === '/oauth2/token' || e.path === '/oauth2/authorize');
  c.ok(after.length === 0, `${label}: no token or authorization requests in the ${((PERIOD + 1500) / 1000).toFixed(1)} s after logout`, `${after.length}`);
}
