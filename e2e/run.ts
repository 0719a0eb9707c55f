// End-to-end scenarios of ngx-auth-renew: real `ng new` + `ng add <tarball>` + `ng build`, a real
// OpenID Provider (e2e/provider/provider.ts), the system Chromium driven by playwright-core.
//
//   node e2e/run.ts [--only <substring>[|<substring>...]] [--tarball x.tgz] [--no-build] [--reuse-base] [--reuse-bff] [--fake]
//
// Every scenario asserts with figures taken from the provider's request log and prints them; the
// last line is `N passed, M failed` and the exit code is non-zero when anything failed.
// Env: E2E_PROVIDER_PORT (9100), E2E_TLS_PORT (9543), E2E_APP_PORT (4300), E2E_BA_PORT (9110, the third provider:
// better-auth, e2e/scenarios/third-provider.ts), E2E_VERBOSE=1, E2E_HEADED=1.
// The kit (apps, checks, sign-in, withStack) is e2e/lib/kit.ts; the scenarios of renewal under
// faults (provider request faults, offline, freeze, tabs, clock skew, sub-path, interceptor) are in
// e2e/scenarios/, run after the ones below; last, an app made by 0.1.0 and upgraded by `ng update`
// (e2e/scenarios/upgrade.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Fault, RunningProvider } from './provider/provider.ts';
import { launchChromium } from './lib/chromium.ts';
import { E2E, WORK } from './make-app.ts';
import {
  APP, AT_TTL, Checks, FAKE, Fatal, PERIOD, TOLERANCE, isInteractiveAuth, isRenewalRequest, opt, postForm, readState, say,
  setBrowser, signIn, sleep, fmt, stats, waitForApp, watchPage, withStack, LOCAL_ISSUER, CROSS_ISSUER, RENEW_BEFORE,
} from './lib/kit.ts';
import { RESILIENCE_SCENARIOS } from './scenarios/index.ts';
import { upgradedFrom010 } from './scenarios/upgrade.ts';
import type { AppId, Check, CrossSiteFigures, Mode, PageState, RenewalFigures, Sink, TwoTabFigures } from './lib/kit.ts';

const ONLY = opt('--only');
/**
 * Waits for `cycles` renewals and checks each: fired within TOLERANCE of expiresAt - renewBefore,
 * the expected requests (by mode), a new access token.
 */
async function renewalCycles(page: Page, c: Checks, provider: RunningProvider, mode: Mode, cycles: number, start: PageState,
  figures: RenewalFigures): Promise<PageState | null> {
  let prev = start;
  for (let i = 1; i <= cycles; i++) {
    const target = Number(prev.expiresAt) - prev.renewBefore * 1000;
    const windowStart = prev.now;
    try {
      await page.waitForFunction((at) => window.auth.accessToken() !== at, prev.accessToken,
        { timeout: Math.max(0, target - Date.now()) + 10000, polling: 50 });
    } catch {
      c.ok(false, `renewal ${i}: new access token`, `none within 10 s after the target`);
      return null;
    }
    const seen = Date.now();
    const s = await readState(page);
    const log = provider.since(windowStart).filter((e) => e.t <= seen);
    const renewalReqs = log.filter(isRenewalRequest);
    const first = renewalReqs[0];
    const refresh = log.filter((e) => e.path === '/token' && e.grant_type === 'refresh_token');
    const codeTok = log.filter((e) => e.path === '/token' && e.grant_type === 'authorization_code');
    const silent = log.filter((e) => e.path === '/auth' && e.prompt === 'none');
    const interactive = log.filter(isInteractiveAuth);
    const renewedEv = s.events.filter((e) => e.type === 'renewed' && e.t >= windowStart).at(-1);
    const offset = first ? first.t - target : NaN;
    const latency = first ? (renewedEv?.t ?? seen) - first.t : NaN;
    figures.offsets.push(offset);
    figures.latencies.push(latency);
    figures.requests.push(renewalReqs.length);
    const issued = log.filter((e) => e.issued).at(-1)?.issued;

    const expected = mode === 'refresh'
      ? refresh.length === 1 && codeTok.length === 0 && silent.length === 0
      : mode === 'iframe-code'
        ? silent.length === 1 && codeTok.length === 1 && refresh.length === 0
        : silent.length === 1 && codeTok.length === 0 && refresh.length === 0;
    const what = `${refresh.length} refresh_token, ${silent.length} /auth prompt=none, ${codeTok.length} authorization_code`;
    c.ok(Math.abs(offset) <= TOLERANCE, `renewal ${i}: fired within ${TOLERANCE} ms of expiresAt - renewBefore`, `offset ${Math.round(offset)} ms, latency ${Math.round(latency)} ms`);
    c.ok(expected && interactive.length === 0, `renewal ${i}: exactly the expected requests`, what);
    c.ok(s.isAuthenticated && s.accessToken && s.accessToken !== prev.accessToken && (!issued || issued.access_token === s.accessToken),
      `renewal ${i}: a new access token (the one the provider issued)`);
    c.ok(Number(s.expiresAt) > Number(prev.expiresAt), `renewal ${i}: expiresAt moved on`, `+${Number(s.expiresAt) - Number(prev.expiresAt)} ms`);
    const failures = log.filter((e) => e.error);
    c.ok(failures.length === 0, `renewal ${i}: no provider errors`, failures.map((e) => `${e.path} ${e.error}`).join('; '));
    prev = s;
  }
  return prev;
}

/**
 * The app opened again after its access token expired (a laptop closed overnight, a discarded tab):
 * the stored session is renewed once at start-up, not dropped, and no interactive login happens.
 * The stored expiresAt is moved into the past, as the wall clock would have done.
 */
async function reopenAfterExpiry(page: Page, c: Checks, provider: RunningProvider, mode: Mode, prev: PageState): Promise<PageState | null> {
  // The session key is namespaced (`auth.session:<clientId>@<authority>`): found by its prefix.
  const moved = await page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('auth.session'));
    const session = key ? JSON.parse(sessionStorage.getItem(key) ?? 'null') as { expiresAt: number } | null : null;
    if (key && session) sessionStorage.setItem(key, JSON.stringify({ ...session, expiresAt: Date.now() - 1000 }));
    return key && session ? key : null;
  });
  c.must(moved, 'reopened after expiry: a stored session (sessionStorage auth.session*) to age');
  const t0 = Date.now();
  await page.reload();
  await waitForApp(page);
  await page.waitForFunction((at) => window.auth.isAuthenticated() && window.auth.accessToken() !== at, prev.accessToken,
    { timeout: 15000, polling: 50 }).catch(() => {});
  const s = await readState(page);
  const log = provider.since(t0);
  const renewals = log.filter(isRenewalRequest).length;
  const minimum = mode === 'iframe-code' ? 2 : 1;
  c.ok(s.isAuthenticated && s.accessToken !== prev.accessToken && Number(s.expiresAt) > Date.now(),
    'reopened after expiry: renewed at start-up, still signed in', `${s.now - t0} ms`);
  c.ok(renewals === minimum && log.filter(isInteractiveAuth).length === 0,
    'reopened after expiry: only the renewal requests, no interactive login', `${renewals} renewal request(s)`);
  c.ok(!s.events.some((e) => e.type === 'session-ended'), 'reopened after expiry: no session-ended event',
    s.events.map((e) => e.type).join(','));
  return s.isAuthenticated ? s : null;
}

/** Logout: revocation, provider session ended, old refresh token rejected, no renewal afterwards. */
async function logoutChecks(page: Page, c: Checks, provider: RunningProvider, mode: Mode, context: BrowserContext): Promise<void> {
  const before = provider.log.length;
  const lastRt = provider.log.filter((e) => e.issued?.refresh_token).at(-1)?.issued?.refresh_token;
  const t0 = Date.now();
  await page.evaluate(() => { void window.auth.logout(); });
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && !provider.log.slice(before).some((e) => e.event === 'end_session.success')) await sleep(100);
  const ended = provider.log.slice(before).some((e) => e.event === 'end_session.success');
  c.ok(ended, 'logout ended the provider session (RP-initiated logout confirmed)', `${Date.now() - t0} ms`);
  try {
    await page.waitForURL((u) => u.origin === APP, { timeout: 15000 });
    await waitForApp(page);
    await page.waitForFunction(() => !window.auth.isAuthenticated(), null, { timeout: 5000 });
    c.ok(true, 'back on the app, signed out');
  } catch (e) {
    c.ok(false, 'back on the app, signed out', String((e as Error).message).split('\n')[0]);
  }
  const log = provider.log.slice(before);
  const revocations = log.filter((e) => e.path === '/token/revocation');
  if (mode === 'refresh') {
    c.ok(revocations.some((e) => e.revoked === lastRt), 'logout revoked the refresh token', `${revocations.length} revocation request(s)`);
    // String(): 'undefined' when no refresh token was issued, as URLSearchParams would make it.
    const r = await postForm(`${provider.issuer}/token`, { grant_type: 'refresh_token', refresh_token: String(lastRt), client_id: 'spa-code' });
    const error = (r.json as { error?: unknown } | null | undefined)?.error;
    c.ok(r.status === 400 && error === 'invalid_grant', 'the old refresh token is rejected by the provider', `${r.status} ${error ?? ''}`);
  } else {
    say(`    (${revocations.length} revocation request(s) at logout)`);
  }
  // The provider session is gone: a prompt=none authorization request answers login_required.
  const probe = new URL(`${provider.issuer}/auth`);
  Object.entries({ client_id: 'spa-code', response_type: 'code', scope: 'openid', redirect_uri: `${APP}/`, prompt: 'none',
    state: 'probe', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })
    .forEach(([k, v]) => probe.searchParams.set(k, v));
  const res = await context.request.get(probe.href, { maxRedirects: 0 });
  const loc = res.headers().location ?? '';
  c.ok(/error=login_required/.test(loc), 'provider session cookie no longer signs in (prompt=none → login_required)', loc.slice(0, 120));
  // No renewal after logout.
  const quiet = Date.now();
  await sleep(PERIOD + 1500);
  const after = provider.since(quiet).filter((e) => isRenewalRequest(e) || isInteractiveAuth(e));
  c.ok(after.length === 0, `no renewal requests in the ${((PERIOD + 1500) / 1000).toFixed(1)} s after logout`, `${after.length}`);
}

/**
 * The client must refuse a tampered id_token (signature, nonce, iss, aud): arms the provider's fault
 * for the next id_token, renews by hand, expects renew-failed/session-ended and the tampered
 * response's access token never taken.
 */
async function tamperChecks(page: Page, c: Checks, provider: RunningProvider, context: BrowserContext, sink: Sink, faults: Fault[]): Promise<void> {
  for (const fault of faults) {
    await context.clearCookies();
    await page.goto(`${APP}/`);
    await page.evaluate(() => { sessionStorage.clear(); localStorage.clear(); });
    const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
    provider.setFault(fault);
    const t = Date.now();
    const outcome = await page.evaluate(() => window.auth.renewToken().then(() => 'resolved', (e) => `rejected: ${e?.message ?? e}`));
    await sleep(1500);
    const st = await readState(page);
    const log = provider.since(t);
    const hit = log.find((e) => e.fault === fault);
    const tamperedAt = hit?.issued?.access_token;
    const evs = st.events.filter((e) => e.t >= t);
    const failed = evs.find((e) => e.type === 'renew-failed' || e.type === 'session-ended');
    c.ok(Boolean(hit) && failed && !evs.some((e) => e.type === 'renewed') && st.accessToken !== tamperedAt,
      `${fault} id_token refused`, hit ? `${failed ? `${failed.type}: ${failed.error}` : `events: ${evs.map((e) => e.type).join(',') || 'none'}`}; renewToken() ${outcome}; ${st.accessToken === s.accessToken ? 'old token kept' : st.accessToken ? 'token changed' : 'token cleared'}` : 'fault not applied (no id_token seen)');
    provider.setFault(null);
  }
}


interface RenewalScenarioOptions {
  appId: AppId;
  mode: Mode;
  csp?: boolean;
  cycles?: number;
  reload?: boolean;
  logout?: boolean;
  screenshot?: boolean;
  tamper?: Fault[];
}

function renewalScenario({ appId, mode, csp = false, cycles = 3, reload = true, logout = true, screenshot = false, tamper = [] }: RenewalScenarioOptions) {
  return (c: Checks) => withStack({ appId, csp }, async ({ provider, context, page, sink }) => {
    const figures: RenewalFigures = { offsets: [], latencies: [], requests: [] };
    c.figures = figures;
    const { s, codeToken, authReq } = await signIn(page, c, provider, APP, sink);
    if (mode === 'iframe-implicit') {
      c.ok(codeToken.length === 0 && authReq.length === 1 && authReq[0].response_type === 'id_token token', 'login: one implicit /auth (id_token token), no token request');
    } else {
      c.ok(authReq.length === 1 && codeToken.length === 1, 'login: one /auth + one authorization_code token request', `${authReq.length} + ${codeToken.length}`);
      c.ok(authReq[0]?.code_challenge_method === 'S256' && authReq[0]?.has_state, 'login: PKCE S256 and state sent');
      if (mode === 'refresh') c.ok(Boolean(codeToken[0]?.issued?.refresh_token), 'login: a refresh token issued', `requested "${authReq[0]?.scope}", token scope "${codeToken[0]?.issued?.scope}"`);
    }
    let last = await renewalCycles(page, c, provider, mode, cycles, s, figures);
    if (screenshot && last && !FAKE) {
      await page.screenshot({ path: join(E2E, 'screenshot.png') });
      say('    screenshot → e2e/screenshot.png');
    }
    if (reload && last) {
      const t0 = Date.now();
      await page.reload();
      await waitForApp(page);
      await page.waitForFunction(() => window.auth.isAuthenticated(), null, { timeout: 10000 }).catch(() => {});
      const r = await readState(page);
      const log = provider.since(t0);
      c.ok(r.isAuthenticated && r.accessToken === last.accessToken, 'reload restores the session (same token, no new login)', `${Date.now() - t0} ms, ${log.filter(isInteractiveAuth).length} interactive /auth`);
      last = await renewalCycles(page, c, provider, mode, 1, { ...last, now: t0 }, figures);
    }
    if (reload && last) last = await reopenAfterExpiry(page, c, provider, mode, last);
    if (logout && last) await logoutChecks(page, c, provider, mode, context);
    if (tamper.length) await tamperChecks(page, c, provider, context, sink, tamper);
    if (csp) {
      c.ok(sink.csp.length === 0, 'no CSP violation reported', sink.csp.slice(0, 3).join(' | '));
    }
    c.ok(sink.dialogs.length === 0, 'no alert/confirm dialog', sink.dialogs.join(' | '));
    say(`    figures: offset from target ms [${fmt(figures.offsets)}] (${stats(figures.offsets)}); requests/renewal [${fmt(figures.requests)}]; latency ms [${fmt(figures.latencies)}] (${stats(figures.latencies)})`);
  });
}

async function crossSiteScenario(c: Checks): Promise<void> {
  const figures: CrossSiteFigures = {};
  c.figures = figures;
  // 1. iframe renewal against a cross-site provider with third-party cookies blocked.
  await withStack({ appId: 'x-code-iframe', cross: true }, async ({ provider, page, sink }) => {
    const { s } = await signIn(page, c, provider, APP, sink);
    const target = Number(s.expiresAt) - s.renewBefore * 1000;
    const failTypes = ['renew-failed', 'session-ended'];
    try {
      await page.waitForFunction((types) => window.authEvents.some((e) => types.includes(e.type)), failTypes,
        { timeout: Math.max(0, target - Date.now()) + 12000, polling: 100 });
    } catch {
      const st = await readState(page);
      c.ok(false, 'iframe renewal fails with renew-failed/session-ended', `events: ${st.events.map((e) => e.type).join(',')}; token changed: ${st.accessToken !== s.accessToken}`);
      return;
    }
    const failedAt = Date.now();
    const ev = (await readState(page)).events.find((e) => failTypes.includes(e.type))!; // waited for above
    const silent = provider.since(s.now).filter((e) => e.path === '/auth' && e.prompt === 'none');
    c.ok(silent[0]?.error === 'login_required', 'the provider answered the iframe with login_required (no session cookie sent)', silent.map((e) => e.error).join(','));
    c.ok(/login_required/.test(ev.error ?? ''), `${ev.type} error says login_required`, ev.error);
    c.ok(/third[- ]party cookie/i.test(ev.error ?? ''), `${ev.type} error names third-party cookies`);
    const windowMs = Math.max(3 * PERIOD, Number(s.expiresAt) + 1500 - Date.now());
    await sleep(windowMs);
    const st = await readState(page);
    const silentAll = provider.since(s.now).filter((e) => e.path === '/auth' && e.prompt === 'none');
    const tokens = provider.since(s.now).filter((e) => e.path === '/token');
    c.ok(silentAll.length === 1 && tokens.length === 0, `no retry loop: prompt=none requests over ${((failedAt - s.now + windowMs) / 1000).toFixed(0)} s`, `${silentAll.length} /auth prompt=none, ${tokens.length} token`);
    c.ok(!st.isAuthenticated || (st.expiresAt ?? 0) > Date.now(), 'no expired token handed out');
    c.ok(sink.dialogs.length === 0, 'no alert/confirm dialog', sink.dialogs.join(' | '));
    figures.iframeFailure = { event: ev.type, error: ev.error, silentRequests: silentAll.length, offset: silent[0] ? silent[0].t - target : null };
    say(`    figures: failed renewal offset ${Math.round((silent[0]?.t ?? NaN) - target)} ms; ${silentAll.length} prompt=none request(s) in ${((failedAt - s.now + windowMs) / 1000).toFixed(0)} s`);
  });
  // 2. refresh-token renewal still works cross-site.
  await withStack({ appId: 'x-code-refresh', cross: true }, async ({ provider, page, sink }) => {
    const refresh: RenewalFigures = { offsets: [], latencies: [], requests: [] };
    const { s } = await signIn(page, c, provider, APP, sink);
    await renewalCycles(page, c, provider, 'refresh', 2, s, refresh);
    figures.refresh = refresh;
    say(`    figures (refresh-token, cross-site): offset ms [${fmt(refresh.offsets)}]; requests/renewal [${fmt(refresh.requests)}]; latency ms [${fmt(refresh.latencies)}]`);
  });
}

/**
 * The implicit callback is refused when its id_token is forged: once with a broken signature (the
 * provider's redirect is rewritten on its way to the browser), once with a nonce the app did not
 * send (the app's pending nonce is swapped before the callback page runs). Neither signs in.
 */
function forgedIdTokenScenario(c: Checks): Promise<void> {
  return withStack({ appId: 'implicit-iframe' }, async ({ provider, context, page, sink }) => {
    const attempt = async (label: string) => {
      const t0 = Date.now();
      await page.goto(`${APP}/`);
      await waitForApp(page);
      await page.evaluate(() => { void window.auth.login(); });
      await page.waitForURL((u) => u.origin === APP && !u.hash, { timeout: 30000 });
      await waitForApp(page);
      await sleep(1500); // the callback is handled at start-up; give it time to (not) sign in
      const s = await readState(page);
      const issued = provider.since(t0).filter((e) => e.path?.startsWith('/auth') && e.issued).length;
      c.ok(!s.isAuthenticated && s.accessToken === null, `${label}: not signed in`, `provider issued tokens in ${issued} response(s)`);
      c.ok(!/access_token|id_token/.test(s.href), `${label}: tokens not left in the address bar`, s.href);
      // The reason: the sign-in-failed event (and whatever the console said).
      const failed = s.events.filter((e) => e.type === 'sign-in-failed');
      c.ok(failed.length === 1, `${label}: one sign-in-failed event`, `${failed.length}`);
      return [...failed.map((e) => e.error ?? ''), ...sink.errors.splice(0)].join(' | ');
    };

    // 1. Broken signature: one character in the middle of the id_token's signature flipped, in the
    // address bar of the callback before the app reads it (Playwright cannot rewrite a redirect chain).
    await context.addInitScript(() => {
      if (!/id_token=/.test(location.hash) || sessionStorage.getItem('e2e.forge') !== 'signature') return;
      sessionStorage.removeItem('e2e.forge');
      const forged = location.hash.replace(/(id_token=[^.&]+\.[^.&]+\.)([^&]+)/, (_: string, head: string, sig: string) =>
        head + sig.slice(0, 10) + (sig[10] === 'A' ? 'B' : 'A') + sig.slice(11));
      history.replaceState(history.state, '', location.pathname + location.search + forged);
    });
    await page.goto(`${APP}/`);
    await page.evaluate(() => sessionStorage.setItem('e2e.forge', 'signature'));
    const signatureErrors = await attempt('bad id_token signature');
    c.ok(/signature/i.test(signatureErrors), 'bad id_token signature: refused for its signature', signatureErrors.slice(0, 160));

    // 2. Wrong nonce: a correctly signed id_token whose nonce is not the one this app sent.
    await context.addInitScript(() => {
      if (!/id_token=/.test(location.hash) || sessionStorage.getItem('e2e.forge') !== 'nonce') return;
      sessionStorage.removeItem('e2e.forge');
      // The pending key is namespaced (`auth.pending:<clientId>@<authority>`): found by its prefix.
      const key = Object.keys(sessionStorage).find((k) => k.startsWith('auth.pending')) ?? 'auth.pending';
      const list: Record<string, unknown>[] = JSON.parse(sessionStorage.getItem(key) ?? '[]');
      sessionStorage.setItem(key, JSON.stringify(list.map((p) => ({ ...p, nonce: 'not-the-nonce-sent' }))));
    });
    await page.evaluate(() => sessionStorage.setItem('e2e.forge', 'nonce'));
    const nonceErrors = await attempt('unexpected nonce');
    c.ok(/nonce/i.test(nonceErrors), 'unexpected nonce: refused for its nonce', nonceErrors.slice(0, 160));
  });
}

/**
 * Two tabs of one browser on one session (--storage local): tab 2 restores tab 1's session, the
 * tabs renew once per period between them (Web Lock; the other tab takes the tokens from its
 * 'storage' event), and a logout in tab 1 signs tab 2 out.
 */
function twoTabsScenario(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh-local' }, async ({ provider, context, page: tab1, sink }) => {
    const figures: TwoTabFigures = { requests: [], follow: [], byHandFollow: null, logoutFollow: null };
    c.figures = figures;
    const { s } = await signIn(tab1, c, provider, APP, sink, { quiet: true });
    c.must(s.config.storage === 'local', 'authConfig.storage = local', String(s.config.storage));

    const opened = Date.now();
    const tab2 = await context.newPage();
    watchPage(tab2, sink);
    await tab2.goto(`${APP}/`);
    await waitForApp(tab2);
    await tab2.waitForFunction(() => window.auth.isAuthenticated(), null, { timeout: 10000 }).catch(() => {});
    const s2 = await readState(tab2);
    const openLog = provider.since(opened);
    c.must(s2.isAuthenticated && s2.accessToken === s.accessToken, 'tab 2 opened afterwards is signed in from storage (same token)');
    c.ok(openLog.filter((e) => e.path === '/auth' || isRenewalRequest(e)).length === 0, 'tab 2: no /auth and no token request to sign in',
      `${openLog.filter((e) => e.path === '/auth').length} /auth, ${openLog.filter(isRenewalRequest).length} token`);

    const tabs = [tab1, tab2];
    let prev = s;
    let windowStart = opened;
    for (let i = 1; i <= 3; i++) {
      const target = Number(prev.expiresAt) - prev.renewBefore * 1000;
      try {
        await Promise.all(tabs.map((p) => p.waitForFunction((at) => { const t = window.auth.accessToken(); return t !== null && t !== at; },
          prev.accessToken, { timeout: Math.max(0, target - Date.now()) + 10000, polling: 50 })));
      } catch {
        c.ok(false, `period ${i}: both tabs hold a new access token`, 'not within 10 s after the target');
        return;
      }
      await sleep(1000); // a second tab's request, if any, would come now; the next renewal is ~4 s away
      const end = Date.now();
      const [a, b] = await Promise.all(tabs.map(readState));
      const log = provider.since(windowStart).filter((e) => e.t <= end);
      const refresh = log.filter((e) => e.path === '/token' && e.grant_type === 'refresh_token');
      const other = log.filter((e) => (isRenewalRequest(e) || isInteractiveAuth(e)) && e.grant_type !== 'refresh_token');
      const newest = refresh.at(-1)?.issued?.access_token;
      const took = [a, b].map((st) => st.events.find((e) => e.type === 'renewed' && e.t >= windowStart)?.t ?? NaN);
      const follow = Math.abs(took[0] - took[1]);
      figures.requests.push(refresh.length);
      figures.follow.push(follow);
      c.ok(refresh.length === 1 && other.length === 0, `period ${i}: exactly one refresh_token request across both tabs`,
        `${refresh.length} refresh_token, ${other.length} other; renewed by tab ${took[0] <= took[1] ? 1 : 2}`);
      c.ok(a.accessToken === newest && b.accessToken === newest, `period ${i}: both tabs hold the newest access token`,
        `tab 1 ${a.accessToken === newest ? 'newest' : 'other'}, tab 2 ${b.accessToken === newest ? 'newest' : 'other'}; other tab followed in ${Math.round(follow)} ms`);
      c.ok(a.expiresAt === b.expiresAt && Number(a.expiresAt) > Number(prev.expiresAt), `period ${i}: same expiresAt in both tabs, moved on`);
      prev = a;
      windowStart = end;
    }
    const errors = provider.since(s.now).filter((e) => e.error || e.event === 'grant.revoked');
    c.ok(errors.length === 0, 'no invalid_grant, refresh token reuse or grant revocation at the provider',
      errors.map((e) => `${e.path ?? e.event} ${e.error ?? ''}`).join('; '));

    // Both tabs' timers are due at the same time; a renewal by hand in tab 1 mid-period shows that
    // tab 2 follows through the 'storage' event, not through its own timer.
    const byHand = Date.now();
    await tab1.evaluate(() => window.auth.renewToken());
    const fresh = (await readState(tab1)).accessToken;
    await tab2.waitForFunction((at) => window.auth.accessToken() === at, fresh, { timeout: 1000, polling: 20 }).catch(() => {});
    const [h1, h2] = await Promise.all(tabs.map(readState));
    const byHandReqs = provider.since(byHand).filter(isRenewalRequest);
    const [r1, r2] = [h1, h2].map((st) => st.events.find((e) => e.type === 'renewed' && e.t >= byHand)?.t ?? NaN);
    // Apart, not after: tab 2 may take the tokens (written under the lock) before tab 1 reports them.
    figures.byHandFollow = Math.abs(r2 - r1);
    c.ok(h2.accessToken === fresh && byHandReqs.length === 1 && figures.byHandFollow <= 1000,
      'renewal by hand in tab 1 mid-period: tab 2 takes the new token within 1 s, without a request', `${Math.round(figures.byHandFollow)} ms apart; ${byHandReqs.length} token request(s)`);

    const loggedOut = Date.now();
    await tab1.evaluate(() => { void window.auth.logout(); });
    await tab2.waitForFunction(() => !window.auth.isAuthenticated(), null, { timeout: 1000, polling: 20 }).catch(() => {});
    const out = await readState(tab2);
    const signedOut = out.events.find((e) => e.type === 'signed-out' && e.t >= loggedOut);
    figures.logoutFollow = signedOut ? signedOut.t - loggedOut : null;
    c.ok(!out.isAuthenticated && signedOut && figures.logoutFollow !== null && figures.logoutFollow <= 1000,
      'logout in tab 1: tab 2 signed out within 1 s', signedOut ? `${figures.logoutFollow} ms` : `events: ${out.events.map((e) => e.type).join(',')}`);
    c.ok(out.href.startsWith(`${APP}/`) && !out.events.some((e) => e.type === 'session-ended' && e.t >= loggedOut),
      'tab 2 stays on the app (no redirect of its own, no session-ended)', out.href);
    await tab1.waitForURL((u) => u.origin === APP, { timeout: 15000 }).catch(() => {}); // back from the provider's logout
    await sleep(PERIOD + 1500);
    const after = provider.since(loggedOut).filter((e) => isRenewalRequest(e) || isInteractiveAuth(e));
    c.ok(after.length === 0, `no token or /auth requests in the ${((PERIOD + 1500) / 1000).toFixed(1)} s after logout`, `${after.length}`);
    c.ok(sink.dialogs.length === 0, 'no alert/confirm dialog', sink.dialogs.join(' | '));
    say(`    figures: refresh_token requests/period [${fmt(figures.requests)}]; other tab followed in ms [${fmt(figures.follow)}] (${stats(figures.follow)}); tab 2 followed a renewal by hand in ${fmt([figures.byHandFollow])} ms; tab 2 signed out ${figures.logoutFollow ?? 'n/a'} ms after logout in tab 1`);
  });
}

const SCENARIOS: { name: string; run: (c: Checks) => Promise<void> }[] = [
  { name: 'code + refresh-token', run: renewalScenario({ appId: 'code-refresh', mode: 'refresh', screenshot: true, tamper: ['bad-iss', 'bad-aud'] }) },
  { name: 'code + iframe', run: renewalScenario({ appId: 'code-iframe', mode: 'iframe-code', tamper: ['bad-iss', 'bad-aud'] }) },
  { name: 'implicit + iframe', run: renewalScenario({ appId: 'implicit-iframe', mode: 'iframe-implicit', tamper: ['bad-signature', 'bad-nonce', 'bad-iss', 'bad-aud'] }) },
  { name: 'strict CSP (code + iframe)', run: renewalScenario({ appId: 'code-iframe', mode: 'iframe-code', csp: true, cycles: 2, reload: false, logout: false }) },
  { name: 'strict CSP (implicit + iframe)', run: renewalScenario({ appId: 'implicit-iframe', mode: 'iframe-implicit', csp: true, cycles: 2, reload: false, logout: false }) },
  { name: 'cross-site provider, third-party cookies blocked', run: crossSiteScenario },
  { name: 'implicit: forged id_token refused (signature, nonce)', run: forgedIdTokenScenario },
  { name: 'two tabs share one session (code + refresh-token, --storage local)', run: twoTabsScenario },
  ...RESILIENCE_SCENARIOS,
  { name: 'upgraded from 0.1.0 (ng update): sign-in, refresh-token renewal, logout', run: upgradedFrom010 },
];

// ---------------------------------------------------------------------------------------------
interface Result {
  name: string;
  passed: boolean;
  checks: Check[];
  figures?: Checks['figures'];
  ms?: number;
  error?: string;
}

let browser: Browser | undefined;
const results: Result[] = [];
const started = Date.now();
try {
  browser = await launchChromium();
  setBrowser(browser);
  say(`e2e: chromium ${browser.version()}, provider ${LOCAL_ISSUER} / ${CROSS_ISSUER}, app ${APP}, access token ${AT_TTL} s, renew ${RENEW_BEFORE} s before${FAKE ? ' (FAKE page)' : ''}`);
  for (const sc of SCENARIOS) {
    if (ONLY && !ONLY.split('|').some((o) => sc.name.includes(o))) continue;
    say(`\n▶ ${sc.name}`);
    const c = new Checks();
    const t = Date.now();
    try {
      await sc.run(c);
    } catch (e) {
      c.ok(false, e instanceof Fatal ? `stopped: ${e.message}` : 'error', e instanceof Fatal ? '' : String((e as Error).stack ?? e).split('\n').slice(0, 12).join('\n      '));
    }
    results.push({ name: sc.name, passed: c.passed, checks: c.list, figures: c.figures, ms: Date.now() - t });
    say(`  ${c.passed ? 'PASS' : 'FAIL'} ${sc.name} (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  }
} catch (e) {
  say(`e2e setup failed: ${(e as Error).stack ?? e}`);
  results.push({ name: 'setup', passed: false, checks: [], error: String(e) });
} finally {
  await browser?.close().catch(() => {});
}
mkdirSync(WORK, { recursive: true });
writeFileSync(join(WORK, 'results.json'), JSON.stringify(results, null, 2));
const passed = results.filter((r) => r.passed).length;
const failed = results.length - passed;
say(`\n${results.map((r) => `${r.passed ? 'PASS' : 'FAIL'}  ${r.name}`).join('\n')}`);
say(`(${((Date.now() - started) / 1000).toFixed(0)} s; details in e2e/.work/results.json)`);
say(`${passed} passed, ${failed} failed`);
process.exit(failed || !results.length ? 1 : 0);
