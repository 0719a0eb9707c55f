// The interceptor, wired as the README says (e2e/make-app.ts wireInterceptor) with
// secureRoutes ['<issuer>/me']; the provider's userinfo endpoint is the protected resource.
import { APP, Checks, fmt, readState, say, signIn, sleep, withStack } from '../lib/kit.ts';
import { refreshSince } from './helpers.ts';

type ApiResult = { status: number; body: unknown; error: string | null };

export function interceptor(c: Checks): Promise<void> {
  return withStack({ appId: 'code-refresh' }, async ({ provider, page, sink }) => {
    const me = `${provider.issuer}/me`;
    const { s } = await signIn(page, c, provider, APP, sink, { quiet: true });
    c.must(JSON.stringify(s.config.secureRoutes) === JSON.stringify([me]), `authConfig.secureRoutes = ['${me}']`, JSON.stringify(s.config.secureRoutes));

    const t0 = Date.now();
    const r = await page.evaluate((u) => window.api(u), me);
    const call = provider.since(t0).find((e) => e.path === '/me' && e.method === 'GET');
    c.ok(r.status === 200 && call?.bearer === s.accessToken && (r.body as { sub?: string } | null)?.sub === 'test-user',
      'a call to /me carries the access token and succeeds', `${r.status}${r.error ? ` ${r.error}` : ''}; Authorization: ${call?.bearer === s.accessToken ? 'the access token' : call?.bearer ? 'another token' : 'none'}`);

    // Observed in the browser (page.route), answered there: which URLs get the header.
    const expected: Record<string, boolean> = {
      [`${me}/sub`]: true,
      [`${provider.issuer}/meow`]: false,
      [`${provider.issuer}/me.evil.test/x`]: false,
      [`http://evil.test:${provider.port}/me`]: false,
      [`http://localhost:${provider.port + 1}/me`]: false,
    };
    const seen = new Map<string, string | null>();
    const routed = (u: URL) => u.href in expected;
    await page.route(routed, (route) => {
      seen.set(route.request().url(), route.request().headers()['authorization'] ?? null);
      void route.fulfill({ status: 200, contentType: 'application/json', headers: { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'authorization' }, body: '{}' });
    });
    for (const u of Object.keys(expected)) await page.evaluate((x) => window.api(x), u);
    await page.unroute(routed);
    for (const [u, want] of Object.entries(expected)) {
      const got = seen.get(u);
      c.ok(seen.has(u) && Boolean(got) === want, `${want ? 'matching' : 'non-matching'} URL ${u}: ${want ? 'gets' : 'no'} Authorization header`,
        seen.has(u) ? (got ? 'sent' : 'not sent') : 'request not seen');
    }

    // Renewal stopped until the token expired; then 5 calls at once: one renewal, all five succeed.
    const fault = provider.addFault({ path: '/token', grant: 'refresh_token', kind: 'status', status: 503 });
    const cur = await readState(page);
    await sleep(Number(cur.expiresAt) + 500 - Date.now());
    const expired = await readState(page);
    c.ok(expired.accessToken === null, 'renewal stopped by the fault: the token has expired (accessToken() null)');
    provider.clearFaults(fault);
    const t1 = Date.now();
    const results: ApiResult[] = await page.evaluate((u) => Promise.race([
      Promise.all(Array.from({ length: 5 }, () => window.api(u))),
      new Promise<ApiResult[]>((ok) => setTimeout(() => ok([]), 25000)),
    ]), me);
    const took = Date.now() - t1;
    const refresh = refreshSince(provider, t1);
    const calls = provider.since(t1).filter((e) => e.path === '/me' && e.method === 'GET');
    const newest = refresh.at(-1)?.issued?.access_token;
    c.ok(refresh.length === 1, 'five concurrent calls with an expired token: exactly one refresh_token request', `${refresh.length}`);
    c.ok(results.length === 5 && results.every((x) => x.status === 200) && calls.length === 5 && calls.every((e) => e.bearer === newest && newest),
      'all five succeed with the new token', `${results.length ? fmt(results.map((x) => x.status)) : 'no answer in 25 s'}; ${calls.length} calls at /me, Authorization: ${calls.map((e) => (!e.bearer ? 'none' : e.bearer === newest ? 'new token' : e.bearer === cur.accessToken ? 'expired token' : 'other')).join(', ')}; ${took} ms`);
    say(`    figures: five calls answered ${took} ms after the provider came back, ${refresh.length} refresh_token request(s)`);
  });
}
