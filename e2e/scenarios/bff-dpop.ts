// ng add --bff --dpop on an app with @angular/ssr: the tokens are bound to a key pair the server
// makes per session and keeps sealed in Redis with them. Client `bff-dpop` of the e2e provider
// (dpop_bound_access_tokens: a token request without a proof is refused), with DPoP nonces required
// at the token endpoint and at /me (the DPoP-protected API). Two instances on one Redis, behind the
// TLS front; the app's own `ng test` runs the generated specs first.
import { compactDecrypt } from 'jose';
import { join } from 'node:path';
import { BFF_DPOP_CLIENT, startProvider } from '../provider/provider.ts';
import type { LogEntry } from '../provider/provider.ts';
import { run } from '../make-app.ts';
import { AT_TTL, Checks, LOCAL_ISSUER, PROVIDER_PORT, currentBrowser, say } from '../lib/kit.ts';
import { call, freePort, startAppServer, startRedis, startTlsFront } from '../lib/bff-stack.ts';
import type { AppServer, Redis, TlsFront } from '../lib/bff-stack.ts';
import { FRONT_PORT, ORIGIN, api, asApp, buildBffApp, instanceEnv, isRefresh, recordBodies, sessionCookie, signIn, waitTokenStale } from './bff.ts';

const SESSION_KEY = Buffer.alloc(32, 7);
const isMe = (e: LogEntry) => e.path === '/me' && e.method === 'GET';
const brief = (e: LogEntry) => `${e.method} ${e.path} ${e.status}${e.error ? ` ${e.error}` : ''}${e.dpop ? ` proof …${e.dpop.jkt.slice(-6)}${e.dpop.nonce ? '+nonce' : ''}` : ' no proof'}`;

/** The session records in Redis, opened with BFF_SESSION_KEY (as the server does). */
async function sessionRecords(redis: Redis): Promise<{ raw: string; record: { dpopKey?: JsonWebKey; accessToken?: string } }[]> {
  const keys = (await redis.command('KEYS', 'session:*')).split('\n').filter(Boolean);
  return Promise.all(keys.map(async (key) => {
    const raw = await redis.command('GET', key);
    const { plaintext } = await compactDecrypt(raw, new Uint8Array(SESSION_KEY));
    return { raw, record: JSON.parse(new TextDecoder().decode(plaintext)) };
  }));
}

export async function bffDpop(c: Checks): Promise<void> {
  const figures: Record<string, unknown> = {};
  c.figures = figures;
  const built = await buildBffApp(undefined, { dpop: true });

  // 0. The app's own tests: the generated specs of both halves (dpop.spec.ts, sealed.spec.ts among them).
  const t0 = Date.now();
  const tested = await run('ng', ['test', '--no-watch'], { cwd: built.dir, logFile: join(built.dir, '..', 'bff-dpop-test.log') })
    .then((r) => r.out, (e: Error) => `FAILED ${e.message}`).then((out) => out.replace(/\x1b\[[0-9;]*m/g, ''));
  const passed = /Tests\s+(\d+) passed/.exec(tested)?.[1];
  figures['ngTest'] = { passed: Number(passed ?? 0), seconds: Math.round((Date.now() - t0) / 1000) };
  c.ok(!tested.startsWith('FAILED') && Number(passed) > 0 && /dpop\.spec\.ts/.test(tested) && /sealed\.spec\.ts/.test(tested),
    'the app\'s ng test passes with the generated specs of both halves (dpop.spec.ts, sealed.spec.ts included)',
    `${passed ?? 0} tests passed${tested.startsWith('FAILED') ? `; ${tested.slice(0, 300)}` : ''}`);

  const [portA, portB] = [await freePort(), await freePort()];
  const provider = await startProvider({
    port: PROVIDER_PORT, issuer: LOCAL_ISSUER, apps: [ORIGIN], accessTokenTtl: AT_TTL, quiet: true, dpopNonce: true,
    bff: { origin: ORIGIN, backchannelLogoutUri: `http://localhost:${portA}/bff/backchannel-logout` },
  });
  const servers: AppServer[] = [];
  let front: TlsFront | undefined;
  let redis: Redis | undefined;
  const context = await currentBrowser().newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 640 } });
  try {
    redis = await startRedis();
    const env = { ...instanceEnv(redis), BFF_SESSION_KEY: SESSION_KEY.toString('base64url') };
    let a = await startAppServer(built.serverMjs, portA, env);
    let b = await startAppServer(built.serverMjs, portB, env);
    servers.push(a, b);
    front = await startTlsFront('app.test', FRONT_PORT, portA);
    const page = await context.newPage();
    const bodies = recordBodies(page);

    // 1. Sign in through A: the code is bound to the session's key (dpop_jkt), the exchange sends a proof of it.
    const { t0: signedAt } = await signIn(page, c, provider);
    const log = provider.since(signedAt);
    const authReq = log.filter((e) => e.path === '/auth');
    const exchanges = log.filter((e) => e.path === '/token' && e.grant_type === 'authorization_code');
    const jkt = authReq[0]?.dpop_jkt ?? '';
    const issued = exchanges.find((e) => e.issued)?.issued;
    figures['codeExchange'] = exchanges.map(brief);
    c.ok(authReq.length === 1 && authReq[0].client_id === BFF_DPOP_CLIENT.id && /^[A-Za-z0-9_-]{43}$/.test(jkt),
      'login: one /auth for client bff-dpop carrying dpop_jkt (the thumbprint of a key made on the server)', `…${jkt.slice(-6)}`);
    c.ok(exchanges.length >= 1 && exchanges.every((e) => e.dpop?.jkt === jkt && e.dpop.htu === `${LOCAL_ISSUER}/token`) && issued?.token_type === 'DPoP' && issued.jkt === jkt,
      'the code exchange (after the provider\'s nonce request) sends proofs of that key; the access token is DPoP-bound to it (cnf.jkt)',
      exchanges.map(brief).join('; '));

    // 2. The key is in the session record, sealed in Redis; nothing of it (nor a token) reaches the page.
    const records = await sessionRecords(redis);
    const key = records.find((r) => r.record.accessToken === issued?.access_token)?.record.dpopKey;
    c.ok(key?.kty === 'EC' && typeof key.d === 'string' && records.every((r) => !r.raw.includes('"kty"') && !r.raw.includes(key.x ?? '-')),
      'the session\'s private key (JWK) is in its record in Redis, and only sealed (JWE): no JWK, no key material in the clear', `${records.length} record(s)`);
    const secrets = [issued?.access_token, key?.d, key?.x].filter((s): s is string => !!s);
    const reach = await page.evaluate(() => `${document.cookie}|${JSON.stringify({ ...localStorage })}|${JSON.stringify({ ...sessionStorage })}`);
    c.ok(secrets.length === 3 && ![reach, ...bodies].some((text) => secrets.some((s) => text.includes(s))),
      'no token and no key material in document.cookie, storage or any response body the page received', `${bodies.length} bodies`);

    // 3. Proxied calls through the other instance: Authorization DPoP + a proof of the same key, the API's nonce answered once.
    front.target = portB;
    let t = Date.now();
    const first = await api(page, '/bff/api/me');
    const second = await api(page, '/bff/api/me');
    const meCalls = provider.since(t).filter(isMe);
    figures['proxiedCalls'] = meCalls.map(brief);
    c.ok(first.status === 200 && second.status === 200 && (first.body as { sub?: string }).sub === 'test-user',
      'proxied GET /bff/api/me through instance B (session and key from Redis): 200 both times', `${first.status}, ${second.status}`);
    c.ok(meCalls.length === 3 && meCalls[0].status === 401 && /use_dpop_nonce/.test(meCalls[0].www_authenticate ?? '')
      && meCalls.slice(1).every((e) => e.status === 200 && e.dpop?.nonce)
      && meCalls.every((e) => e.dpop_token === issued?.access_token && !e.bearer && e.dpop?.jkt === jkt && e.dpop.ath && e.dpop.htu === `${LOCAL_ISSUER}/me`),
      '/me saw Authorization: DPoP with a proof of the session key (ath, htu); the nonce asked for once, then remembered',
      meCalls.map(brief).join('; '));

    // 4. The token alone is worth nothing: without the key's proof the API refuses it.
    const stolen = await Promise.all(['DPoP', 'Bearer'].map((scheme) =>
      fetch(`${LOCAL_ISSUER}/me`, { headers: { authorization: `${scheme} ${issued?.access_token}` } }).then((r) => r.status)));
    c.ok(stolen[0] === 400 && stolen[1] === 401, 'the access token sent without a proof is refused by the API (as DPoP: 400, proof missing; as Bearer: 401)', stolen.join(', '));

    // 5. Renewal on the server: 5 calls on A and 5 on B after expiry: one refresh, with a proof; the new token bound to the same key.
    await waitTokenStale(provider);
    t = Date.now();
    const cookie = await sessionCookie(context);
    const both = await Promise.all([portA, portB].flatMap((port) => Array.from({ length: 5 }, () => call(port, '/bff/api/me', { headers: asApp(cookie) }))));
    const refreshes = provider.since(t).filter(isRefresh);
    const renewed = refreshes.find((e) => e.issued)?.issued;
    const afterRefresh = provider.since(t).filter(isMe).filter((e) => e.status === 200);
    figures['refreshes'] = refreshes.map(brief);
    c.ok(both.every((r) => r.status === 200) && refreshes.filter((e) => e.issued).length === 1,
      'after expiry, 5 calls on A + 5 on B at once: all 200, exactly one refresh (a nonce retry aside)', `${refreshes.map(brief).join('; ')}; statuses ${both.map((r) => r.status).join(',')}`);
    c.ok(refreshes.every((e) => e.dpop?.jkt === jkt) && renewed?.token_type === 'DPoP' && renewed.jkt === jkt && renewed.access_token !== issued?.access_token
      && afterRefresh.length === 10 && afterRefresh.every((e) => e.dpop_token === renewed?.access_token && e.dpop?.jkt === jkt),
      'the refresh sent a proof of the session key; the new access token is bound to it and every call used it', `${afterRefresh.length} calls with the new token`);

    // 6. Both instances restarted: the key comes back from Redis with the session.
    await Promise.all([a.stop(), b.stop()]);
    servers.length = 0;
    a = await startAppServer(built.serverMjs, portA, env);
    b = await startAppServer(built.serverMjs, portB, env);
    servers.push(a, b);
    t = Date.now();
    const afterRestart = await call(portA, '/bff/api/me', { headers: asApp(cookie) });
    const restartCalls = provider.since(t).filter(isMe);
    c.ok(afterRestart.status === 200 && restartCalls.at(-1)?.dpop?.jkt === jkt,
      'both instances restarted: a proxied call still signs with the session key (kept in Redis)', `${afterRestart.status}; ${restartCalls.map(brief).join('; ')}`);
    say(`    figures: ${JSON.stringify(figures)}`);
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await front?.close();
    await redis?.stop();
    await provider.close();
    await Promise.race([context.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
  }
}
