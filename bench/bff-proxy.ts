// Part 5: what the --bff API proxy costs per call, against the same call made directly with the
// access token, on localhost; and the session store: memory against Redis.
//
// The e2e --bff app (e2e/scenarios/bff.ts buildBffApp), served by its own server over http on
// localhost (no TLS on either side), the e2e provider with hour-long access tokens (no refresh
// while measuring), one sign-in made from node. Two upstreams: a tiny JSON endpoint (the proxy's
// whole overhead shows) and the provider's /me (an API doing some work). Calls alternate in blocks
// of 10 between direct and proxied, over one keep-alive connection each; warm-up calls first.
// Each proxied call looks the session up (store read + JWE decryption) and checks the CSRF header.
import { Agent, createServer, request } from 'node:http';
import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';
import { BFF_CLIENT, startProvider } from '../e2e/provider/provider.ts';
import { buildBffApp } from '../e2e/scenarios/bff.ts';
import { freePort, startAppServer, startRedis } from '../e2e/lib/bff-stack.ts';
import type { AppServer, Redis } from '../e2e/lib/bff-stack.ts';

export interface BffProxyCost {
  n: number;
  /** ms per call: the tiny upstream directly, through the proxy (memory store), through the proxy (Redis store). */
  direct: number[];
  memory: number[];
  redis: number[];
  /** ms per call to the provider's /me: directly, through the proxy (memory store). */
  meDirect: number[];
  meProxied: number[];
  /** ms per call to an API that works 5 ms per call: directly, through the proxy (memory store). */
  slowDirect: number[];
  slowProxied: number[];
  /** --bff --dpop (sessions in memory): the tiny upstream and the 5 ms one, proxied with a DPoP proof; each against its direct Bearer call. */
  dpopDirect: number[];
  dpop: number[];
  dpopSlowDirect: number[];
  dpopSlow: number[];
  errors: string[];
}

export const WARMUP = 50;
export const SLOW_MS = 5;
const BLOCK = 10;
const SESSION_COOKIE = '__Host-Http-bff-session';
const LOGIN_COOKIE = '__Host-Http-bff-login';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** One GET; resolves the ms it took (status must be 200). */
function timedGet(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((ok, ko) => {
    const t = performance.now();
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? ok(performance.now() - t) : ko(new Error(`${url}: ${res.statusCode}`))));
    });
    req.on('error', ko);
    req.end();
  });
}

/** A tiny API: 200 with a small JSON body to a Bearer request, 401 otherwise; /slow answers after 5 ms. */
async function startUpstream(port: number): Promise<Server> {
  const body = JSON.stringify({ items: Array.from({ length: 5 }, (_, i) => ({ id: i, name: `item ${i}` })) });
  const server = createServer((req, res) => {
    const bearer = /^(Bearer|DPoP) .+/.test(req.headers.authorization ?? '');
    const answer = () => {
      res.writeHead(bearer ? 200 : 401, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (req.url?.startsWith('/slow')) setTimeout(answer, SLOW_MS);
    else answer();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return server;
}

/** Signs in from node: follows the redirects (provider cookies kept), returns the session cookie's value. */
async function signIn(app: string): Promise<string> {
  const jar = new Map<string, string>();
  let login = '';
  let url = `${app}/bff/login?returnTo=/`;
  for (let i = 0; i < 20; i++) {
    const own = new URL(url).origin === app;
    const cookie = own ? login : [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0];
      const [name, value] = [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)];
      if (own && name === SESSION_COOKIE && value) return value;
      if (own && name === LOGIN_COOKIE && value) login = pair;
      if (!own) jar.set(name, value);
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`sign-in stopped at ${url}: ${res.status}`);
    url = new URL(location, url).href;
  }
  throw new Error('sign-in: too many redirects');
}

/** Alternating blocks of `a` and `b` calls; ms per call of each (warm-up first, not counted). */
async function alternate(n: number, a: () => Promise<number>, b: () => Promise<number>): Promise<[number[], number[]]> {
  for (let i = 0; i < WARMUP; i++) { await a(); await b(); }
  const xs: number[] = [];
  const ys: number[] = [];
  while (xs.length < n) {
    for (let i = 0; i < BLOCK && xs.length < n; i++) xs.push(await a());
    for (let i = 0; i < BLOCK && ys.length < n; i++) ys.push(await b());
  }
  return [xs, ys];
}

export async function bffProxyBench({ tarball, n, log }: { tarball?: string; n: number; log: (s: string) => void }): Promise<BffProxyCost> {
  const out: BffProxyCost = { n, direct: [], memory: [], redis: [], meDirect: [], meProxied: [], slowDirect: [], slowProxied: [], dpopDirect: [], dpop: [], dpopSlowDirect: [], dpopSlow: [], errors: [] };
  const built = await buildBffApp(tarball);
  log('  bff proxy: app built');
  const [providerPort, upstreamPort, appPort] = [await freePort(), await freePort(), await freePort()];
  const issuer = `http://localhost:${providerPort}`;
  const app = `http://localhost:${appPort}`;
  const provider = await startProvider({ port: providerPort, issuer, apps: [app], accessTokenTtl: 3600, quiet: true,
    bff: { origin: app, backchannelLogoutUri: `${app}/bff/backchannel-logout` } });
  const upstream = await startUpstream(upstreamPort);
  let server: AppServer | undefined;
  let redis: Redis | undefined;
  const env = {
    BFF_ISSUER: issuer, BFF_CLIENT_SECRET: BFF_CLIENT.secret, BFF_ORIGIN: app, NG_ALLOWED_HOSTS: 'localhost',
    BFF_UPSTREAMS: `bench=http://127.0.0.1:${upstreamPort},me=${issuer}/me`,
  };
  const proxied = (cookie: string, path: string) => () =>
    timedGet(`http://127.0.0.1:${appPort}${path}`, { cookie: `${SESSION_COOKIE}=${cookie}`, 'x-bff-csrf': '1', host: `localhost:${appPort}` });
  try {
    server = await startAppServer(built.serverMjs, appPort, env);
    let cookie = await signIn(app);
    const token = provider.log.filter((e) => e.issued?.access_token).at(-1)!.issued!.access_token;
    const direct = (url: string) => () => timedGet(url, { authorization: `Bearer ${token}` });
    [out.direct, out.memory] = await alternate(n, direct(`http://127.0.0.1:${upstreamPort}/items`), proxied(cookie, '/bff/api/bench/items'));
    log(`  bff proxy: tiny upstream, memory store: ${n} calls each`);
    [out.meDirect, out.meProxied] = await alternate(n, direct(`${issuer}/me`), proxied(cookie, '/bff/api/me'));
    log(`  bff proxy: provider /me: ${n} calls each`);
    [out.slowDirect, out.slowProxied] = await alternate(Math.min(n, 200), direct(`http://127.0.0.1:${upstreamPort}/slow`), proxied(cookie, '/bff/api/bench/slow'));
    log(`  bff proxy: an API working ${SLOW_MS} ms per call`);
    await server.stop();
    redis = await startRedis();
    server = await startAppServer(built.serverMjs, appPort, { ...env, BFF_REDIS_URL: redis.url, BFF_SESSION_KEY: Buffer.alloc(32, 3).toString('base64url') });
    cookie = await signIn(app);
    [, out.redis] = await alternate(n, direct(`http://127.0.0.1:${upstreamPort}/items`), proxied(cookie, '/bff/api/bench/items'));
    log(`  bff proxy: tiny upstream, Redis store: ${n} calls`);
    await server.stop();
    server = undefined;
    const dpopApp = await buildBffApp(tarball, { dpop: true });
    server = await startAppServer(dpopApp.serverMjs, appPort, env);
    cookie = await signIn(app);
    const dpopToken = provider.log.filter((e) => e.issued?.access_token).at(-1)!.issued!.access_token;
    const directDpop = (url: string) => () => timedGet(url, { authorization: `Bearer ${dpopToken}` });
    [out.dpopDirect, out.dpop] = await alternate(n, directDpop(`http://127.0.0.1:${upstreamPort}/items`), proxied(cookie, '/bff/api/bench/items'));
    [out.dpopSlowDirect, out.dpopSlow] = await alternate(Math.min(n, 200), directDpop(`http://127.0.0.1:${upstreamPort}/slow`), proxied(cookie, '/bff/api/bench/slow'));
    log(`  bff proxy: --dpop, tiny upstream and the ${SLOW_MS} ms one`);
  } catch (e) {
    out.errors.push(String((e as Error).message ?? e).split('\n')[0]);
  } finally {
    agent.destroy();
    await server?.stop();
    await redis?.stop();
    upstream.closeAllConnections();
    await new Promise<void>((r) => upstream.close(() => r()));
    await provider.close();
  }
  return out;
}
