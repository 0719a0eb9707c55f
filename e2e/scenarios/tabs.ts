// A refresh token is spent once across tabs: a duplicated tab (sessionStorage copied), five tabs
// on one --storage local session, a logout in one tab while another tab's renewal is in flight.
import type { BrowserContext, Page } from 'playwright-core';
import type { RunningProvider } from '../provider/provider.ts';
import { APP, Checks, PERIOD, fmt, isInteractiveAuth, isRenewalRequest, readState, say, signIn, sleep, waitForApp, withStack } from '../lib/kit.ts';
import type { PageState } from '../lib/kit.ts';
import { describeEvents, refreshSince, storedSessions, target, waitLog } from './helpers.ts';

/** No refresh token sent twice, no invalid_grant, no grant revoked since `t`. */
function noReuse(c: Checks, provider: RunningProvider, t: number): void {
  const refresh = refreshSince(provider, t);
  const sent = refresh.map((e) => e.refresh_token_sent);
  const reused = sent.filter((x, i) => x && sent.indexOf(x) !== i).length;
  const bad = provider.since(t).filter((e) => e.error || e.event === 'grant.revoked');
  c.ok(reused === 0 && bad.length === 0, 'the provider saw no refresh token reuse, no invalid_grant, no grant revoked',
    `${refresh.length} refresh_token requests, ${reused} reused; ${bad.map((e) => `${e.path ?? e.event} ${e.error ?? ''}`).join('; ') || 'no errors'}`);
}

/** Another tab of the context on the app, signed in from storage (or not, after 10 s). */
async function openTab(context: BrowserContext, tabs: Page[]): Promise<Page> {
  const page = await context.newPage();
  tabs.push(page);
  await page.goto(`${APP}/`);
  await waitForApp(page);
  await page.waitForFunction(() => window.auth.isAuthenticated(), null, { timeout: 10000 }).catch(() => {});
  return page;
}

/**
 * Chrome's "Duplicate tab" (emulated by window.open(location.href): the new window gets a copy of
 * sessionStorage) with the default session storage: the two tabs never spend the same refresh token.
 */
export function duplicatedTab(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh' }, async ({ provider, context, page: tab1, sink, events }) => {
    const { s } = await signIn(tab1, c, provider, APP, sink, { quiet: true });
    const [dup] = await Promise.all([context.waitForEvent('page'), tab1.evaluate(() => { window.open(location.href); })]);
    await waitForApp(dup);
    await sleep(300);
    const d0 = await readState(dup);
    const copied = (await storedSessions(dup)).length;
    say(`    duplicate opened: sessionStorage session ${copied ? 'copied' : 'not copied'}, ${d0.isAuthenticated ? 'signed in' : 'signed out'}${d0.accessToken === s.accessToken ? ' (same token)' : ''}`);
    const perPeriod: number[] = [];
    let prev: PageState = s;
    let from = s.now;
    for (let i = 1; i <= 3; i++) {
      const ok = await tab1.waitForFunction((at) => { const t = window.auth.accessToken(); return t !== null && t !== at; }, prev.accessToken,
        { timeout: Math.max(0, target(prev) - Date.now()) + 10000, polling: 50 }).then(() => true, () => false);
      await sleep(1000);
      const end = Date.now();
      const n = refreshSince(provider, from).filter((e) => e.t <= end).length;
      perPeriod.push(n);
      const st = await readState(tab1);
      c.ok(ok && st.isAuthenticated, `period ${i}: the original tab renewed`, `${n} refresh_token request(s) in the period`);
      if (!ok) break;
      prev = st;
      from = end;
    }
    // A copy that keeps only its access token ends its session when that expires: look after it.
    const d1 = await readState(dup);
    if (d1.isAuthenticated && d1.expiresAt !== null && d1.accessToken !== prev.accessToken) await sleep(Math.max(0, d1.expiresAt + 1500 - d1.now));
    noReuse(c, provider, s.now);
    const o = await readState(tab1);
    c.ok(o.isAuthenticated && Number(o.expiresAt) > o.now, 'the original tab is still signed in at the end', `${refreshSince(provider, s.now).length} refresh_token requests in all`);
    const d = await readState(dup);
    const ended = events.filter((e) => e.page === dup && e.type === 'session-ended');
    const dupRenewals = events.filter((e) => e.page === dup && e.type === 'renewed').length;
    const outcome = d.isAuthenticated && Number(d.expiresAt) > d.now
      ? `both tabs signed in (duplicate renewed ${dupRenewals} time(s), ${d.accessToken === prev.accessToken ? 'same token as the original' : 'its own token'})`
      : ended.length ? `the duplicate ended its session: ${ended[0].error ?? '(no reason given)'}` : 'the duplicate is signed out without a session-ended event';
    c.ok((d.isAuthenticated && Number(d.expiresAt) > d.now) || (ended.length === 1 && ended[0].error), 'the duplicate stays signed in, or ends its session with a clear reason', outcome);
    say(`    figures: refresh_token requests/period [${fmt(perPeriod)}]; ${outcome}`);
  });
}

/** Five tabs on one --storage local session: one refresh_token request per period between them. */
export function fiveTabs(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh-local' }, async ({ provider, context, page: tab1, sink }) => {
    const { s } = await signIn(tab1, c, provider, APP, sink, { quiet: true });
    const tabs: Page[] = [tab1];
    for (let i = 2; i <= 5; i++) await openTab(context, tabs);
    const states = await Promise.all(tabs.map(readState));
    c.must(states.every((st) => st.accessToken === s.accessToken), 'five tabs signed in on one session (same token)',
      states.map((st) => (st.isAuthenticated ? 'in' : 'out')).join(' '));
    const perPeriod: number[] = [];
    let prev = s;
    let from = Date.now();
    for (let i = 1; i <= 3; i++) {
      const ok = await Promise.all(tabs.map((p) => p.waitForFunction((at) => { const t = window.auth.accessToken(); return t !== null && t !== at; },
        prev.accessToken, { timeout: Math.max(0, target(prev) - Date.now()) + 10000, polling: 50 }))).then(() => true, () => false);
      await sleep(1000);
      const end = Date.now();
      const refresh = refreshSince(provider, from).filter((e) => e.t <= end);
      const newest = refresh.at(-1)?.issued?.access_token;
      const now = await Promise.all(tabs.map(readState));
      perPeriod.push(refresh.length);
      c.ok(ok && refresh.length === 1, `period ${i}: exactly one refresh_token request across five tabs`, `${refresh.length}`);
      c.ok(now.every((st) => st.accessToken === newest), `period ${i}: all five tabs hold the newest token`,
        now.map((st) => (st.accessToken === newest ? 'newest' : st.accessToken ? 'other' : 'null')).join(' '));
      if (!ok) break;
      prev = now[0];
      from = end;
    }
    noReuse(c, provider, s.now);
    say(`    figures: refresh_token requests/period over five tabs [${fmt(perPeriod)}]`);
  });
}

/**
 * --storage local: tab 2's renewal is in flight (token endpoint slowed by 1.5 s) when tab 1 logs out;
 * afterwards storage has no session and tab 2 is signed out (the renewal cannot undo the logout).
 */
export function logoutDuringRenewal(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh-local' }, async ({ provider, context, page: tab1, sink, events }) => {
    const { s } = await signIn(tab1, c, provider, APP, sink, { quiet: true });
    const tabs: Page[] = [tab1];
    const tab2 = await openTab(context, tabs);
    c.must((await readState(tab2)).accessToken === s.accessToken, 'tab 2 signed in on the same session');
    provider.addFault({ path: '/token', grant: 'refresh_token', kind: 'delay', ms: 1500, times: 1 });
    const t0 = Date.now();
    await tab2.evaluate(() => { void window.auth.renewToken().catch(() => {}); });
    const inFlight = await waitLog(provider, t0, (e) => e.grant_type === 'refresh_token', 3000);
    c.must(inFlight, 'tab 2: renewal request in flight at the provider');
    const logoutAt = Date.now();
    await tab1.evaluate(() => { void window.auth.logout(); });
    await sleep(3500);
    const st2 = await readState(tab2);
    const stored = await storedSessions(tab2, 'local');
    const refresh = refreshSince(provider, t0);
    const revocations = provider.since(t0).filter((e) => e.path === '/token/revocation');
    const order = provider.since(t0).filter((e) => e.path === '/token' || e.path === '/token/revocation' || e.path === '/session/end')
      .map((e) => `${e.path}${e.grant_type ? `(${e.grant_type})` : ''} +${e.t - t0} ${e.status ?? ''}${e.ms !== undefined ? ` in ${e.ms} ms` : ''}`).join(', ');
    c.ok(stored.length === 0, 'after the logout, storage has no session', stored.map((e) => e.key).join(', '));
    c.ok(!st2.isAuthenticated && st2.accessToken === null, 'tab 2 is signed out', describeEvents(events.filter((e) => e.page === tab2 && e.t >= t0), t0));
    const quiet = Date.now();
    await sleep(PERIOD + 1500);
    const later = provider.since(quiet).filter((e) => isRenewalRequest(e) || isInteractiveAuth(e));
    const stored2 = await storedSessions(tab2, 'local');
    const st2b = await readState(tab2);
    c.ok(later.length === 0 && stored2.length === 0 && !st2b.isAuthenticated, `still signed out, no session stored, no request in the ${((PERIOD + 1500) / 1000).toFixed(1)} s after`,
      `${later.length} request(s)`);
    say(`    figures: logout ${logoutAt - (inFlight?.t ?? NaN)} ms after tab 2's request reached the provider; ${refresh.length} refresh, ${revocations.length} revocation(s); order: ${order}`);
  });
}
