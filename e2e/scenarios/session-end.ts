// Sign-in and sign-out edges: a failed sign-in callback (no redirect loop, a stray callback URL over a
// stored session), an account switch at renewal, logout interop (state, failed revocation).
import { APP, Checks, PERIOD, isInteractiveAuth, isRenewalRequest, readState, say, signIn, sleep, waitForApp, withStack } from '../lib/kit.ts';
import type { PageState } from '../lib/kit.ts';
import { describeEvents, waitEvent, waitLog } from './helpers.ts';

/**
 * The authorization_code token request fails (400 invalid_grant) while the start page is guarded:
 * one 'sign-in-failed', not signed in, no second login in the same page load. Then a stray
 * `/?code=x&state=y` over a stored session: restored + sign-in-failed (invalid_state), URL cleaned.
 */
export function callbackFailure(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh' }, async ({ provider, page, events }) => {
    await page.goto(`${APP}/`);
    await waitForApp(page);
    await page.evaluate(() => sessionStorage.setItem('e2e.guard', 'all'));
    provider.addFault({ path: '/token', grant: 'authorization_code', kind: 'status', status: 400, error: 'invalid_grant', times: 1 });
    const t0 = Date.now();
    await page.reload(); // the guarded start page sends the user to the provider
    const failed = await waitEvent(events, (e) => e.type === 'sign-in-failed' && e.t >= t0, 20000);
    const watch = 6000;
    await sleep(watch);
    const log = provider.since(t0);
    const logins = log.filter(isInteractiveAuth);
    const codeTokens = log.filter((e) => e.path === '/token' && e.grant_type === 'authorization_code');
    const st: PageState | string = await readState(page).catch((e) => `page not readable: ${String(e).split('\n')[0]}`);
    c.ok(codeTokens[0]?.status === 400, 'the code exchange was refused by the fault (400 invalid_grant)', codeTokens.map((e) => e.status).join(', '));
    c.ok(failed && /^invalid_grant:/.test(failed.error ?? ''), "sign-in-failed with an 'invalid_grant:' error", failed?.error ?? describeEvents(events, t0));
    c.ok(typeof st !== 'string' && !st.isAuthenticated && st.accessToken === null, 'not signed in after the failed callback',
      typeof st === 'string' ? st : st.href);
    c.ok(logins.length === 1 && codeTokens.length === 1, `no redirect loop: one interactive /auth in the ${watch / 1000} s after the failure (start page guarded)`,
      `${logins.length} /auth, ${codeTokens.length} authorization_code request(s); events: ${describeEvents(events, t0)}`);
    c.ok(typeof st !== 'string' && !/[?&](code|state)=/.test(st.href), 'callback parameters removed from the address bar', typeof st === 'string' ? st : st.href);

    await page.evaluate(() => { sessionStorage.clear(); localStorage.clear(); }); // whatever the first part left
    const { s } = await signIn(page, c, provider, APP, undefined, { quiet: true });
    const t1 = Date.now();
    await page.goto(`${APP}/?code=x&state=y`);
    await waitForApp(page);
    await page.waitForFunction(() => window.auth.isAuthenticated(), null, { timeout: 5000 }).catch(() => {});
    await sleep(300);
    const r = await readState(page);
    const stray = r.events.find((e) => e.type === 'sign-in-failed' && e.t >= t1);
    const requests = provider.since(t1).filter((e) => isRenewalRequest(e) || isInteractiveAuth(e) || e.path === '/token');
    c.ok(r.isAuthenticated && r.accessToken === s.accessToken, 'stray /?code=x&state=y over a stored session: the session is restored (same token)');
    c.ok(stray && /^invalid_state:/.test(stray.error ?? ''), "stray callback: sign-in-failed with an 'invalid_state:' error", stray?.error ?? describeEvents(r.events, t1));
    c.ok(!/[?&](code|state)=/.test(r.href), 'stray callback: URL cleaned', r.href);
    c.ok(requests.length === 0, 'stray callback: no token request, no /auth', `${requests.length}`);
    say(`    figures: ${logins.length} interactive /auth in ${((Date.now() - t0) / 1000).toFixed(1)} s after the failed callback; stray callback: ${stray?.error ?? 'no sign-in-failed'}`);
  });
}

/**
 * The provider answers a renewal with an id_token for another user: 'session-ended' with
 * `user_changed:`, the access token of that response never handed out, no request afterwards.
 */
export function accountSwitch(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh' }, async ({ provider, page, sink, events }) => {
    const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
    provider.setFault('other-sub');
    const t0 = Date.now();
    const outcome = await page.evaluate(() => window.auth.renewToken().then(() => 'resolved', (e) => `rejected: ${e?.message ?? e}`));
    const ended = await waitEvent(events, (e) => e.type === 'session-ended' && e.t >= t0, 3000);
    const hit = provider.since(t0).find((e) => e.fault === 'other-sub');
    const foreign = hit?.issued?.access_token;
    const st = await readState(page);
    c.ok(hit && foreign, 'the provider answered the renewal with an id_token for another sub');
    c.ok(ended && /^user_changed:/.test(ended.error ?? ''), "session-ended with a 'user_changed:' error", ended?.error ?? describeEvents(events, t0));
    c.ok(!st.isAuthenticated && st.accessToken !== foreign && !events.some((e) => e.token === foreign),
      "the other user's access token is never handed out", `renewToken() ${outcome}; token now ${st.accessToken === null ? 'null' : st.accessToken === s.accessToken ? 'the old one' : 'other'}`);
    const quiet = Date.now();
    await sleep(PERIOD + 1500);
    const after = provider.since(quiet).filter((e) => isRenewalRequest(e) || isInteractiveAuth(e));
    c.ok(after.length === 0 && events.filter((e) => e.type === 'session-ended').length === 1,
      `one session-ended, no request in the ${((PERIOD + 1500) / 1000).toFixed(1)} s after`, `${after.length} request(s)`);
  });
}

/**
 * Logout sends `state` on the end-session request; a revocation refused with 401 gives a
 * 'signed-out' event whose error starts with `revocation_failed:` and a console warning.
 */
export function logoutInterop(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh' }, async ({ provider, page, sink, events }) => {
    const warnings: string[] = [];
    page.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
    await signIn(page, c, provider, APP, sink, { quiet: true });
    provider.addFault({ path: '/token/revocation', kind: 'status', status: 401, error: 'invalid_client' });
    const t0 = Date.now();
    await page.evaluate(() => { void window.auth.logout(); });
    const end = await waitLog(provider, t0, (e) => e.path === '/session/end', 8000);
    const out = await waitEvent(events, (e) => e.type === 'signed-out' && e.t >= t0, 2000);
    const revocations = provider.since(t0).filter((e) => e.path === '/token/revocation');
    c.ok(revocations.length > 0 && revocations.every((e) => e.status === 401), 'revocation refused by the fault (401)', `${revocations.length} request(s)`);
    c.ok(end?.has_state, 'the end-session request carries state', end ? `${end.method} /session/end, post_logout_redirect_uri ${end.post_logout_redirect_uri ?? '-'}` : 'no end-session request');
    c.ok(out && /^revocation_failed:/.test(out.error ?? ''), "signed-out with a 'revocation_failed:' error", out ? out.error ?? 'no error' : describeEvents(events, t0));
    const warned = warnings.filter((w) => /revo/i.test(w));
    c.ok(warned.length > 0, 'a console warning about the revocation', warned[0]?.slice(0, 140) ?? `${warnings.length} other warning(s)`);
    await page.waitForURL((u) => u.origin === APP, { timeout: 15000 }).catch(() => {});
    await waitForApp(page).catch(() => {});
    const st = await readState(page).catch(() => null);
    c.ok(st && !st.isAuthenticated, 'back on the app, signed out', st?.href ?? 'page not readable');
    say(`    figures: end-session ${end ? end.t - t0 : NaN} ms after logout(); ${revocations.length} revocation(s) refused; signed-out error: ${out?.error ?? 'n/a'}`);
  });
}

/**
 * An app whose router blocks on its initial navigation (withEnabledBlockingInitialNavigation, as
 * CoreUI and many SSR apps do): the guard runs before provideAuth's initializer has finished. A
 * guarded deep link signs in once (no login loop), lands back on the deep link, the code gone.
 */
export function blockingNavigation(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh-blocking' }, async ({ provider, page, events }) => {
    await page.goto(`${APP}/`);
    await waitForApp(page);
    await page.evaluate(() => sessionStorage.setItem('e2e.guard', 'all'));
    const t0 = Date.now();
    await page.goto(`${APP}/deep/link?x=1`); // guarded: the guard starts the login
    const signedIn = await waitEvent(events, (e) => e.type === 'signed-in' && e.t >= t0, 20000);
    const watch = 4000;
    await sleep(watch);
    const log = provider.since(t0);
    const logins = log.filter(isInteractiveAuth);
    const codeTokens = log.filter((e) => e.path === '/token' && e.grant_type === 'authorization_code');
    const st = await readState(page);
    c.ok(!!signedIn && st.isAuthenticated && !!st.accessToken, 'signed in through the guarded deep link', describeEvents(events, t0));
    c.ok(logins.length === 1 && codeTokens.length === 1, `no login loop: one interactive /auth and one code exchange in the ${watch / 1000} s after the sign-in`,
      `${logins.length} /auth, ${codeTokens.length} authorization_code request(s)`);
    c.ok(new URL(st.href).pathname === '/deep/link' && new URL(st.href).search === '?x=1', 'back on the deep link, the callback parameters gone', st.href);
    say(`    figures: ${logins.length} /auth, ${codeTokens.length} code exchange(s); landed on ${st.href}`);
  });
}
