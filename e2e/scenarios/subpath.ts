// An app built with `ng build --base-href /portal/` and served under /portal/: sign-in returns to the
// deep link the user was on, iframe renewal goes through /portal/silent-renew.html, logout returns
// to /portal/ (default URIs follow the base href).
import { APP, Checks, isInteractiveAuth, readState, say, waitForApp, withStack } from '../lib/kit.ts';
import { describeEvents, target, waitLog, waitNewToken } from './helpers.ts';

export function subPath(c: Checks): Promise<void> {
  return withStack({ appId: 'portal-code-iframe' }, async ({ provider, server, page, events }) => {
    const deep = `${APP}/portal/some/route?x=1`;
    await page.goto(deep);
    await waitForApp(page);
    const t0 = Date.now();
    await page.evaluate(() => { void window.auth.login(); });
    await page.waitForFunction(() => Boolean(window.auth?.isAuthenticated()), null, { timeout: 30000 }).catch(() => {});
    const logins = provider.since(t0).filter(isInteractiveAuth);
    c.ok(logins.length === 1 && logins[0].redirect_uri === `${APP}/portal/`, 'login: redirect_uri is the app under /portal/', logins.map((e) => e.redirect_uri).join(', '));
    const s = await readState(page).catch(() => null);
    c.must(s?.isAuthenticated, 'signed in, back on the app', s ? describeEvents(events, t0) : `no app at ${page.url()}`);
    if (!s) return;
    c.ok(s.href === deep, 'back on exactly the URL the user was on', s.href);

    const renewed = await waitNewToken(page, s.accessToken, target(s) - Date.now() + 10000);
    const silent = provider.since(s.now).filter((e) => e.path === '/auth' && e.prompt === 'none');
    const frame = server.requests.filter((r) => r.t >= s.now && r.path.endsWith('silent-renew.html'));
    c.ok(renewed && silent.length === 1 && silent[0].redirect_uri === `${APP}/portal/silent-renew.html`,
      'one iframe renewal through /portal/silent-renew.html', `${silent.length} prompt=none, redirect_uri ${silent[0]?.redirect_uri}; page requested ${frame.map((r) => r.path).join(', ')}`);

    const t1 = Date.now();
    await page.evaluate(() => { void window.auth.logout(); });
    const end = await waitLog(provider, t1, (e) => e.path === '/session/end', 8000);
    await page.waitForURL((u) => u.origin === APP, { timeout: 15000 }).catch(() => {});
    c.ok(end?.post_logout_redirect_uri === `${APP}/portal/` && page.url().startsWith(`${APP}/portal/`), 'logout returns to /portal/',
      `post_logout_redirect_uri ${end?.post_logout_redirect_uri}; now at ${page.url()}`);
    say(`    figures: came back to ${s.href}; renewal through ${silent[0]?.redirect_uri ?? 'n/a'}`);
  });
}
