// An app made by `ng add` of release 0.1.0 and edited like a user does (secureRoutes listed, a
// method of their own in AuthService), then upgraded to the package under test with
// `ng update ngx-auth-renew --migrate-only --from 0.1.0` and built (kit.ts buildUpgradedApp): in the
// browser it signs in, renews by refresh token and logs out, running the upgraded code with the
// user's edits in it.
import { USER_API } from '../../scripts/release-app.ts';
import { APP, AT_TTL, Checks, readState, say, signIn, waitForApp, withStack, upgradeOutput } from '../lib/kit.ts';
import { describeEvents, refreshSince, target, waitLog, waitNewToken } from './helpers.ts';

export function upgradedFrom010(c: Checks): Promise<void> {
  return withStack({ appId: 'upgraded-0.1.0' }, async ({ provider, page, sink, events }) => {
    const summary = (upgradeOutput.get('upgraded-0.1.0') ?? '').replace(/\x1b\[[0-9;]*m/g, '')
      .split('\n').filter((line) => /^\s+[a-z][a-z -]*: /.test(line)).map((line) => line.trim());
    say(`    ng update printed: ${summary.map((line) => line.slice(0, 100)).join(' | ') || 'no summary'}`);

    const { s, codeToken } = await signIn(page, c, provider, APP, sink);
    c.ok(codeToken.length === 1 && Boolean(codeToken[0].issued?.refresh_token), 'login: one authorization_code request, a refresh token issued');

    // The upgraded AuthService runs (validAccessToken() came after 0.1.0), with the user's edits.
    const probe = await page.evaluate(() => {
      const auth = window.auth as unknown as Record<string, unknown>;
      const own = auth['secondsLeft'];
      return {
        validAccessToken: typeof auth['validAccessToken'],
        secondsLeft: typeof own === 'function' ? (own as () => unknown).call(auth) : `no secondsLeft (${typeof own})`,
        secureRoutes: window.authConfig.secureRoutes,
      };
    });
    c.ok(probe.validAccessToken === 'function', 'the app runs the upgraded AuthService (validAccessToken(), not in 0.1.0)', probe.validAccessToken);
    c.ok(typeof probe.secondsLeft === 'number' && probe.secondsLeft > 0 && probe.secondsLeft <= AT_TTL,
      'the user\'s own AuthService method survived the upgrade and runs', `secondsLeft() = ${probe.secondsLeft}`);
    c.ok(JSON.stringify(probe.secureRoutes) === JSON.stringify([USER_API]), 'the user\'s secureRoutes survived the upgrade',
      JSON.stringify(probe.secureRoutes));

    // One renewal by refresh token at expiresAt - renewBefore.
    const renewed = await waitNewToken(page, s.accessToken, target(s) - Date.now() + 10000);
    const r = await readState(page);
    const refresh = refreshSince(provider, s.now).filter((e) => e.t <= r.now);
    const renewedEvents = r.events.filter((e) => e.type === 'renewed' && e.t >= s.now);
    c.ok(renewed && refresh.length === 1 && refresh[0].issued?.access_token === r.accessToken,
      'renewal: one refresh_token request, its new access token taken', `${refresh.length} refresh_token request(s), offset ${refresh[0] ? Math.round(refresh[0].t - target(s)) : 'n/a'} ms from the target`);
    c.ok(renewedEvents.length === 1 && Number(r.expiresAt) > Number(s.expiresAt), 'renewal: a renewed event, expiresAt moved on',
      describeEvents(r.events.filter((e) => e.t >= s.now), s.now));

    // Logout: refresh token revoked, provider session ended, back on the app signed out.
    const lastRt = refresh.at(-1)?.issued?.refresh_token;
    const t1 = Date.now();
    await page.evaluate(() => { void window.auth.logout(); });
    const ended = await waitLog(provider, t1, (e) => e.event === 'end_session.success', 20000);
    await page.waitForURL((u) => u.origin === APP, { timeout: 15000 }).catch(() => {});
    await waitForApp(page).catch(() => {});
    const out = await readState(page).catch(() => null);
    const revoked = provider.since(t1).filter((e) => e.path === '/token/revocation' && e.revoked === lastRt);
    c.ok(Boolean(ended) && revoked.length === 1, 'logout: the refresh token revoked, the provider session ended',
      `${revoked.length} revocation of the last refresh token; end_session ${ended ? 'confirmed' : 'not seen'}`);
    c.ok(out !== null && !out.isAuthenticated && events.some((e) => e.type === 'signed-out' && e.t >= t1),
      'logout: back on the app, signed out (signed-out event)', out ? out.href : `no app at ${page.url()}`);
    c.ok(sink.dialogs.length === 0, 'no alert/confirm dialog', sink.dialogs.join(' | '));
  });
}
