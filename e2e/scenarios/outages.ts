// Renewal through bad networks and a frozen page: a hung token endpoint, a provider outage across
// expiry, the browser offline across expiry (refresh token and iframe), a page frozen past expiry.
import { APP, Checks, readState, say, signIn, sleep, withStack, fmt } from '../lib/kit.ts';
import {
  backoffMax, backoffStep, describeEvents, gaps, refreshSince, storedSessions, target, waitEvent, waitLog, waitNewToken,
} from './helpers.ts';

/**
 * The token endpoint never answers the next refresh_token request: the renewal is abandoned after
 * requestTimeoutSeconds, retried after the first backoff step, and renews once the fault is gone;
 * a logout with a hung revocation endpoint still reaches the provider's end-session within ~3 s.
 */
export function hungTokenEndpoint(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh' }, async ({ provider, page, sink, events }) => {
    const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
    const timeoutMs = Number(s.config.requestTimeoutSeconds ?? 10) * 1000;
    provider.addFault({ path: '/token', grant: 'refresh_token', kind: 'hang', times: 1 });
    const failed = await waitEvent(events, (e) => e.type === 'renew-failed' && e.t > s.now, target(s) - Date.now() + timeoutMs + 5000);
    // The page's renew-failed event can reach this runner a few ms before the provider sees the
    // browser close the hung connection: wait (briefly) for that close to be logged.
    const hung = await waitLog(provider, s.now, (e) => e.fault === 'hang' && e.aborted === true, 3000)
      ?? provider.since(s.now).find((e) => e.fault === 'hang');
    const held = hung?.ms ?? NaN;
    c.ok(hung?.aborted && Math.abs(held - timeoutMs) <= 1500, `the hung refresh_token request is abandoned after requestTimeoutSeconds (${timeoutMs / 1000} s)`,
      hung ? `client closed it after ${held} ms` : 'no refresh_token request reached the provider');
    c.ok(failed && /^timeout:/.test(failed.error ?? ''), "renew-failed with a 'timeout:' error",
      failed ? `${failed.error} (${hung ? failed.t - hung.t : NaN} ms after the request)` : describeEvents(events, s.now));

    const renewed = await waitNewToken(page, s.accessToken, 15000);
    const refresh = refreshSince(provider, s.now);
    const retry = refresh[1];
    const retryAfter = retry && failed ? retry.t - failed.t : NaN;
    c.ok(renewed && refresh.length === 2 && retry?.status === 200, 'retried after the fault cleared: renewed without user action',
      `${refresh.length} refresh_token requests (${refresh.map((e) => e.aborted ? 'abandoned' : e.status).join(', ')})`);
    c.ok(retryAfter >= 1500 && retryAfter <= 3500, 'the retry came one backoff step (2 s) after the failure', `${retryAfter} ms`);
    const st = await readState(page);
    c.ok(st.isAuthenticated && !events.some((e) => e.type === 'session-ended'), 'still signed in, no session-ended', describeEvents(events, s.now));

    provider.addFault({ path: '/token/revocation', kind: 'hang' });
    const t0 = Date.now();
    await page.evaluate(() => { void window.auth.logout(); });
    const end = await waitLog(provider, t0, (e) => e.path === '/session/end', 10000);
    const took = end ? end.t - t0 : NaN;
    const revocations = provider.since(t0).filter((e) => e.path === '/token/revocation');
    const out = await waitEvent(events, (e) => e.type === 'signed-out' && e.t >= t0, 2000);
    await waitLog(provider, t0, (e) => e.path === '/token/revocation' && e.aborted === true, 1000);
    c.ok(end && took <= 4000, 'logout with a hung revocation endpoint reaches end-session within ~3 s',
      `${took} ms; ${revocations.length} revocation request(s) ${revocations.map((e) => (e.aborted ? `abandoned after ${e.ms} ms` : `answered ${e.status}`)).join(', ')}; signed-out: ${out ? out.error ?? 'no error' : 'not seen'}`);
    say(`    figures: request abandoned after ${held} ms (requestTimeoutSeconds ${timeoutMs / 1000}); retry ${retryAfter} ms after the failure; logout → end-session ${took} ms with revocation hung`);
  });
}

/**
 * The token endpoint answers 503 from the first renewal on, past the access token's expiry: the
 * token is withheld (null) but the session is kept, retries follow the backoff, and the first retry
 * after the provider is back renews.
 */
export function providerOutage(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh' }, async ({ provider, page, sink, events }) => {
    const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
    const fault = provider.addFault({ path: '/token', grant: 'refresh_token', kind: 'status', status: 503 });
    await sleep(Number(s.expiresAt) + 1000 - Date.now());
    const st = await readState(page);
    const stored = await storedSessions(page);
    c.ok(st.accessToken === null && !st.isAuthenticated, 'past expiry during the outage: accessToken() null, isAuthenticated() false',
      `${st.now - Number(s.expiresAt)} ms after expiresAt; token ${st.accessToken === s.accessToken ? 'the expired one' : st.accessToken ? 'another' : 'null'}`);
    c.ok(!events.some((e) => e.type === 'session-ended'), 'no session-ended during the outage', describeEvents(events, s.now));
    c.ok(stored.length === 1, 'storage keeps the session', stored.map((e) => e.key).join(', ') || 'no auth.session* key');
    const failures = refreshSince(provider, s.now);
    const times = failures.map((e) => e.t);
    const elapsed = Date.now() - (times[0] ?? Date.now());
    const failedEvents = events.filter((e) => e.type === 'renew-failed');
    c.ok(failures.length >= 2 && failures.every((e) => e.status === 503), 'the renewal was retried during the outage (all answered 503)', `${failures.length} refresh_token requests`);
    c.ok(failures.length <= backoffMax(elapsed) && gaps(times).every((g) => g >= 1800), 'at most one request per backoff step',
      `${failures.length} requests in ${elapsed} ms (at most ${backoffMax(elapsed)}); gaps ms [${fmt(gaps(times))}]`);
    c.ok(failedEvents.length > 0 && failedEvents.every((e) => /^server_error:/.test(e.error ?? '')), "renew-failed events with 'server_error:' errors",
      `${failedEvents.length}: ${failedEvents[0]?.error ?? ''}`);

    provider.clearFaults(fault);
    const back = Date.now();
    const due = (times.at(-1) ?? back) + backoffStep(times.length);
    const renewed = await waitNewToken(page, s.accessToken, due - back + 5000);
    const after = refreshSince(provider, back);
    const at = after[0]?.t ?? NaN;
    c.ok(renewed && after.length === 1 && after[0].status === 200 && at <= due + 1000, 'provider back: renewed by the next retry, within one backoff step',
      `request ${at - back} ms after the provider came back (next step due after ${due - back} ms); ${after.length} request(s)`);
    const end = await readState(page);
    c.ok(end.isAuthenticated && !events.some((e) => e.type === 'session-ended'), 'signed in, no session-ended at any time');
    say(`    figures: ${failures.length} failed requests, gaps ms [${fmt(gaps(times))}]; renewed ${at - back} ms after the provider came back (step due after ${due - back} ms)`);
  });
}

/**
 * The browser goes offline before the renewal and past expiry; going online renews at once (not at
 * the next backoff step), also when it comes back within 2 s of the last attempt (then at 2 s after
 * it). Then iframe renewal offline: fails fast, renews when back online.
 */
export async function offline(c: Checks): Promise<void> {
  await withStack({ appId: 'code-refresh' }, async ({ provider, context, page, sink, events }) => {
    const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
    const figures: string[] = [];
    /**
     * Offline from `from` until `attempts` renewals failed, then online `gap` ms after the last
     * failed attempt (not before `notBefore`): renewed within 2 s, by one request?
     */
    const phase = async (label: string, old: string | null, from: number, attempts: number, gap: number, notBefore = 0) => {
      const fails = () => events.filter((e) => e.type === 'renew-failed' && e.t >= from);
      const end = Date.now() + 60000;
      while (fails().length < attempts && Date.now() < end) await sleep(50);
      const failed = fails();
      const last = failed.at(-1)?.t ?? Date.now();
      await sleep(Math.max(last + gap, notBefore) - Date.now());
      const due = last + backoffStep(failed.length);
      const st = await readState(page);
      await context.setOffline(false);
      const on = Date.now();
      const renewed = await waitNewToken(page, old, due - on + 5000);
      const after = refreshSince(provider, on);
      const at = after[0] ? after[0].t - on : NaN;
      c.ok(failed.length >= attempts && failed.every((e) => /^network:/.test(e.error ?? '')), `${label}: renew-failed events with 'network:' errors`,
        `${failed.length} attempts, gaps ms [${fmt(gaps(failed.map((e) => e.t)))}]: ${failed[0]?.error ?? ''}`);
      c.ok(renewed && after.length === 1 && at <= 2000, `${label}: online ${on - last} ms after the last failed attempt: renewed within 2 s (not at the next backoff step)`,
        `request ${at} ms after going online; the next backoff step was due after ${due - on} ms; ${after.length} request(s)`);
      figures.push(`${label}: ${failed.length} attempts, online ${on - last} ms after the last, renewed ${at} ms after (step due after ${due - on} ms)`);
      return st;
    };

    // 1. Offline from before the renewal until past expiry; online 1.x s after the last attempt.
    await context.setOffline(true);
    const expired = await phase('past expiry', s.accessToken, s.now, 4, 1000, Number(s.expiresAt) + 300);
    const stored = await storedSessions(page);
    c.ok(expired.accessToken === null && !expired.isAuthenticated, 'offline past expiry: accessToken() null, isAuthenticated() false',
      `${expired.now - Number(s.expiresAt)} ms after expiresAt`);
    c.ok(!events.some((e) => e.type === 'session-ended') && stored.length === 1, 'no session-ended, storage keeps the session', describeEvents(events, s.now));

    // 2. Offline again; online 3 s after the third failed attempt (the next step is 8 s after it).
    const r = await readState(page);
    await context.setOffline(true);
    await phase('again', r.accessToken, r.now, 3, 3000);
    c.ok(!events.some((e) => e.type === 'session-ended'), 'no session-ended at any time');
    say(`    figures (refresh token): ${figures.join('; ')}`);
  });
  await withStack({ appId: 'code-iframe' }, async ({ provider, context, page, sink, events }) => {
    const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
    await context.setOffline(true);
    const tgt = target(s);
    const failed = await waitEvent(events, (e) => e.type === 'renew-failed' && e.t > s.now, tgt - Date.now() + 15000);
    const fast = failed ? failed.t - tgt : NaN;
    c.ok(failed && fast < 2000, 'iframe renewal offline fails fast (< 2 s, not the 10 s frame timeout)',
      failed ? `${fast} ms after the renewal was due: ${failed.error}` : describeEvents(events, s.now));
    c.ok(!events.some((e) => e.type === 'session-ended'), 'no session-ended');
    await context.setOffline(false);
    const on = Date.now();
    const renewed = await waitNewToken(page, s.accessToken, 15000);
    const silent = provider.since(on).filter((e) => e.path === '/auth' && e.prompt === 'none');
    const ev = events.find((e) => e.type === 'renewed' && e.t >= on);
    const at = ev ? ev.t - on : NaN;
    c.ok(renewed && silent.length === 1 && at <= 3000, 'online again: renewed through the iframe', `${at} ms after going online; ${silent.length} prompt=none request(s)`);
    say(`    figures (iframe): offline failure ${fast} ms after due; renewed ${at} ms after going online`);
  });
}

/**
 * The page is frozen (paused in the debugger) before its renewal and resumed after expiry; an app
 * timer due just after expiry reads accessToken() when it finally runs: never the expired token.
 */
export function frozenPage(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh' }, async ({ provider, context, page, sink }) => {
    const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
    await page.evaluate((due) => {
      setTimeout(() => {
        (window as unknown as { e2eTimer: unknown }).e2eTimer = { t: Date.now(), token: window.auth.accessToken() };
      }, due - Date.now());
    }, Number(s.expiresAt) + 300);
    const cdp = await context.newCDPSession(page);
    let pausedAt = 0;
    cdp.on('Debugger.paused', () => { pausedAt ||= Date.now(); });
    await cdp.send('Debugger.enable');
    await cdp.send('Debugger.pause'); // takes effect at the next script the page runs (its 200 ms UI timer)
    for (let i = 0; i < 40 && !pausedAt; i++) await sleep(50);
    c.must(pausedAt && pausedAt < target(s), 'page paused before its renewal was due', `${target(s) - pausedAt} ms before`);
    await sleep(Number(s.expiresAt) + 1500 - Date.now());
    const duringPause = refreshSince(provider, s.now).length;
    const resumed = Date.now();
    await cdp.send('Debugger.resume');
    await cdp.send('Debugger.disable');
    const timer = await page.waitForFunction(() => (window as unknown as { e2eTimer?: { t: number; token: string | null } }).e2eTimer, null, { timeout: 5000 })
      .then((h) => h.jsonValue()).catch(() => undefined);
    const seen = timer ? (timer.token === null ? 'null' : timer.token === s.accessToken ? 'the EXPIRED token' : 'a new token') : 'timer did not run';
    c.ok(timer && timer.token !== s.accessToken, 'app timer run after the freeze: accessToken() is null or a new token, never the expired one',
      `${seen}, ${timer ? timer.t - resumed : NaN} ms after resume; frozen ${resumed - pausedAt} ms`);
    const renewed = await waitNewToken(page, s.accessToken, 10000);
    const refresh = refreshSince(provider, resumed);
    const at = refresh[0] ? refresh[0].t - resumed : NaN;
    c.ok(duringPause === 0 && renewed && refresh.length === 1, 'renewed after resume (one refresh_token request)', `${at} ms after resume; ${duringPause} request(s) while frozen`);
    say(`    figures: frozen ${resumed - pausedAt} ms; timer saw ${seen}; renewal request ${at} ms after resume`);
  });
}
