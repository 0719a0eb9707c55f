// Part 5: what the --bff API proxy costs per call, against the same call made directly with the
// access token, on localhost; and the session store: memory against Redis.
//
// The e2e --bff app (e2e/scenarios/bff.ts buildBffApp), served by its own server over http on
// localhost (no TLS on either side), the e2e provider with hour-long access tokens (no refresh
// while measuring), one sign-in made from node. The APIs: a tiny JSON endpoint and one that works
// 5 ms per call, in a process of their own (bench/lib/upstream-server.ts: a direct call crosses a
// process boundary too, as it does to a real API), and the provider's /me. Calls alternate in
// blocks of 10 between direct and proxied, over one keep-alive connection each; warm-up calls
// first. Each proxied call looks the session up (a store read; decryption when not seen lately)
// and checks the CSRF header. Then the same app made with --bff --dpop: a proof per call.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
  /** The tiny upstream directly, and through the least a proxy can be (plain node:http, no session): the floor of any hop. */
  hopDirect: number[];
  hop: number[];
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

/** bench/lib/upstream-server.ts (the APIs, or the minimal proxy hop) in a process of its own; resolves once it listens. */
async function startUpstream(mode: 'api' | 'hop', port: number, arg: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'lib', 'upstream-server.ts'), mode, String(port), String(arg)],
    { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok, ko) => {
    child.once('exit', (code) => ko(new Error(`the bench API exited ${code}`)));
    child.stdout!.once('data', () => ok());
  });
  return child;
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
  const out: BffProxyCost = { n, direct: [], memory: [], redis: [], meDirect: [], meProxied: [], slowDirect: [], slowProxied: [], hopDirect: [], hop: [], dpopDirect: [], dpop: [], dpopSlowDirect: [], dpopSlow: [], errors: [] };
  const built = await buildBffApp(tarball);
  log('  bff proxy: app built');
  const [providerPort, upstreamPort, appPort, hopPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const issuer = `http://localhost:${providerPort}`;
  const app = `http://localhost:${appPort}`;
  const provider = await startProvider({ port: providerPort, issuer, apps: [app], accessTokenTtl: 3600, quiet: true,
    bff: { origin: app, backchannelLogoutUri: `${app}/bff/backchannel-logout` } });
  const upstream = await startUpstream('api', upstreamPort, SLOW_MS);
  const hop = await startUpstream('hop', hopPort, upstreamPort);
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
    [out.hopDirect, out.hop] = await alternate(n, direct(`http://127.0.0.1:${upstreamPort}/items`), () => timedGet(`http://127.0.0.1:${hopPort}/items`, {}));
    log(`  bff proxy: tiny upstream through a minimal proxy hop: ${n} calls each`);
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
    upstream.kill('SIGTERM');
    hop.kill('SIGTERM');
    await provider.close();
  }
  return out;
}
