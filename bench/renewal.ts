// Part 2: renewal cost of ngx-auth-renew against the e2e OpenID provider, in headless Chromium.
//
// Per renewal mode: sign in (the provider signs the test user in without a human), then N times,
// interleaved (order alternating): `await window.auth.renewToken()` timed in the page (performance.now), and the raw
// token-endpoint round trip — a refresh_token grant posted with fetch() from the same page, on a
// refresh-token chain of its own (a second sign-in in another browser context, closed before), so
// the app's own refresh token is never used twice. Requests are counted from the provider's log.
import { startProvider } from '../e2e/provider/provider.ts';
import { startStatic } from '../e2e/static-server.ts';
import { launchChromium } from '../e2e/lib/chromium.ts';
import { APP, APP_PORT, PROVIDER_PORT } from './contenders.ts';
import { median } from './lib/stats.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseMap, sourceAt } from './lib/sourcemap.ts';
import type { ParsedMap } from './lib/sourcemap.ts';
import { groupOf } from './size.ts';

export interface RenewalResult {
  id: string;
  mode: 'refresh' | 'iframe-code' | 'iframe-implicit';
  n: number;
  /** Provider requests per renewal (every request the provider served while renewToken() ran). */
  requests: number[];
  /** The same, by "METHOD path[ grant_type| prompt]". */
  byEndpoint: Record<string, number>;
  /** Requests to the app's own origin during renewals (silent-renew.html and what it loads). */
  appRequests: Record<string, number>;
  latencies: number[];
  /** Server-side time of the renewal's provider requests (sum per renewal), from the provider log. */
  providerMs: number[];
  raw: number[];
  rawProviderMs: number[];
  minimum: number;
  tokenChanged: boolean[];
  errors: string[];
  /** ms between consecutive steps of a renewal (request arrivals at the provider / app origin). */
  phases: Record<string, number[]>;
  rawPhases: Record<string, number[]>;
  /** renewToken() ms minus the raw round trip measured right after it, per renewal. */
  pairedOverhead: number[];
  /** CPU profile of PROFILED extra renewals: self time per module group, ms per renewal. */
  profile?: { renewals: number; totalMs: number; groups: { group: string; ms: number }[] };
  /** Times of the warm-up renewal (not in the medians). */
  warmup: { latency?: number; raw?: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PROFILED = 20;

const ignore = (e: any) => !e.path || e.path === '/__log' || e.path === '/__config' || e.event;
const key = (e: any) => `${e.method} ${e.path}${e.grant_type ? ` ${e.grant_type}` : ''}${e.path === '/auth' && e.prompt ? ` prompt=${e.prompt}` : ''}`;

async function signIn(page: any) {
  await page.goto(`${APP}/`);
  await page.waitForFunction(() => Boolean((window as any).auth?.isAuthenticated), null, { timeout: 20000 });
  await page.evaluate(() => { void (window as any).auth.login(); });
  await page.waitForFunction(() => Boolean((window as any).auth?.isAuthenticated?.()), null, { timeout: 30000 });
}

export async function renewalBench(opts: { apps: { id: string; mode: RenewalResult['mode']; dist: string }[]; renewals: number; log: (s: string) => void }): Promise<RenewalResult[]> {
  const results: RenewalResult[] = [];
  const browser = await launchChromium({ hostRules: [] });
  try {
    for (const a of opts.apps) {
      opts.log(`  ${a.id} (${a.mode}): ${opts.renewals} renewals`);
      results.push(await benchOne(browser, a, opts.renewals, opts.log));
    }
  } finally {
    await browser.close();
  }
  return results;
}

async function benchOne(browser: any, a: { id: string; mode: RenewalResult['mode']; dist: string }, n: number, log: (s: string) => void): Promise<RenewalResult> {
  // Long-lived access tokens: no scheduled renewal fires during the measurements.
  const provider = await startProvider({ port: PROVIDER_PORT, apps: [APP], accessTokenTtl: 3600, quiet: true });
  // A refresh-token chain of its own for the raw round trips (a second sign-in, exchanged from node),
  // made before the app is served: the provider's redirect back to the app goes nowhere.
  let rawRt: string | undefined = await codeExchangeFromNode(browser, provider).catch(() => undefined);
  const server = await startStatic({ root: a.dist, port: APP_PORT });
  const r: RenewalResult = {
    id: a.id, mode: a.mode, n: 0, requests: [], byEndpoint: {}, appRequests: {}, latencies: [], providerMs: [], raw: [], rawProviderMs: [],
    minimum: a.mode === 'refresh' ? 1 : a.mode === 'iframe-code' ? 2 : 1,
    tokenChanged: [], errors: [], warmup: {}, phases: {}, rawPhases: {}, pairedOverhead: [],
  };
  const contexts: any[] = [];
  const errors: string[] = [];
  try {
    if (!rawRt) r.errors.push('no refresh token for the raw round trips');

    const ctx = await browser.newContext();
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('pageerror', (e: any) => errors.push(String(e)));
    page.on('console', (m: any) => { if (m.type() === 'error') errors.push(m.text()); });
    await signIn(page);
    await sleep(300);

    // Renewal 0 is a warm-up (first use of each code path and connection): its requests are counted,
    // its times are kept apart from the medians.
    for (let i = 0; i <= n; i++) {
      const warm = i === 0;
      let libMs = NaN;
      let rawMs = NaN;
      const lib = async () => {
        // The library's renewal.
        const tStart = Date.now();
        const staticBefore = server.requests.length;
        const before = await page.evaluate(() => (window as any).auth.accessToken());
        const res = await page.evaluate(async () => {
          const wall = Date.now();
          const t0 = performance.now();
          try {
            await (window as any).auth.renewToken();
            return { ms: performance.now() - t0, wall, token: (window as any).auth.accessToken() as string | null };
          } catch (e) {
            return { ms: performance.now() - t0, wall, token: null, error: String(e) };
          }
        });
        await sleep(150); // let the provider log the end of its last request
        const reqs = provider.since(tStart).filter((e: any) => !ignore(e));
        r.requests.push(reqs.length);
        for (const e of reqs) r.byEndpoint[key(e)] = (r.byEndpoint[key(e)] ?? 0) + 1;
        for (const q of server.requests.slice(staticBefore)) r.appRequests[q.path] = (r.appRequests[q.path] ?? 0) + 1;
        if (!warm) {
          // Timeline (one clock: page and node run on the same machine): when each request arrived, in order.
          const points = [
            ...reqs.map((e: any) => ({ t: e.t, label: key(e), serverMs: e.ms ?? 0 })),
            ...server.requests.slice(staticBefore).map((q: any) => ({ t: q.t, label: `GET ${q.path} (app origin)`, serverMs: 0 })),
          ].sort((x, y) => x.t - y.t);
          let prev = res.wall;
          for (const p of points) {
            (r.phases[`→ ${p.label} arrives`] ??= []).push(p.t - prev);
            if (p.serverMs) (r.phases[`  ${p.label}: provider handling`] ??= []).push(p.serverMs);
            prev = p.t + p.serverMs;
          }
          (r.phases['→ renewToken() resolved'] ??= []).push(res.wall + res.ms - prev);
        }
        if (!warm) r.providerMs.push(reqs.reduce((s: number, e: any) => s + (e.ms ?? 0), 0));
        if (warm) r.warmup.latency = res.ms;
        else r.latencies.push(res.ms);
        r.tokenChanged.push(Boolean(res.token && res.token !== before));
        if ((res as any).error) r.errors.push(String((res as any).error).split('\n')[0]);
        const fails = reqs.filter((e: any) => e.error);
        for (const f of fails) r.errors.push(`${f.path} ${f.error}`);

        libMs = res.ms;
      };
      const rawTrip = async () => {
        // The raw token-endpoint round trip, same page, same moment.
        if (rawRt) {
          const t1 = Date.now();
          const raw = await page.evaluate(async ({ url, rt }: { url: string; rt: string }) => {
            const wall = Date.now();
            const t0 = performance.now();
            const resp = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
              body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: rt, client_id: 'spa-code' }),
            });
            const json = await resp.json();
            return { ms: performance.now() - t0, wall, rt: json.refresh_token as string | undefined, status: resp.status, error: json.error as string | undefined };
          }, { url: `${provider.issuer}/token`, rt: rawRt });
          await sleep(100);
          if (raw.status === 200 && raw.rt) {
            if (warm) r.warmup.raw = raw.ms;
            else r.raw.push(raw.ms);
            if (!warm) {
              const tok = provider.since(t1).filter((e: any) => e.path === '/token');
              const handling = tok.reduce((s2: number, e: any) => s2 + (e.ms ?? 0), 0);
              r.rawProviderMs.push(handling);
              if (tok.length === 1) {
                (r.rawPhases['→ POST /token refresh_token arrives'] ??= []).push(tok[0].t - raw.wall);
                (r.rawPhases['  POST /token refresh_token: provider handling'] ??= []).push(handling);
                (r.rawPhases['→ fetch() + json() resolved'] ??= []).push(raw.wall + raw.ms - tok[0].t - handling);
              }
              rawMs = raw.ms;
            }
            rawRt = raw.rt;
          } else {
            r.errors.push(`raw refresh ${raw.status} ${raw.error ?? ''}`);
            rawRt = undefined;
          }
        }
      };
      // Alternate the order, so neither side always runs first.
      if (i % 2) { await rawTrip(); await lib(); } else { await lib(); await rawTrip(); }
      if (!warm && Number.isFinite(libMs) && Number.isFinite(rawMs)) r.pairedOverhead.push(libMs - rawMs);
      await sleep(200);
    }
    r.n = r.latencies.length;
    // Where the page's CPU time goes: a sampling profile over more renewals, after the timed ones
    // (profiling slows the page), mapped to sources through the build's source maps.
    try {
      r.profile = await profileRenewals(ctx, page, a.dist, PROFILED);
    } catch (e) {
      r.errors.push(`profile: ${String((e as Error).message).split('\n')[0]}`);
    }
    r.errors.push(...errors.slice(0, 5).map((x) => x.split('\n')[0]));
    log(`    requests/renewal [${r.requests.join(', ')}], latency ms [${r.latencies.map((x) => x.toFixed(1)).join(', ')}], raw ms [${r.raw.map((x) => x.toFixed(1)).join(', ')}]`);
    log(`    median latency ${median(r.latencies).toFixed(1)} ms, raw ${median(r.raw).toFixed(1)} ms; ${JSON.stringify(r.byEndpoint)}${r.errors.length ? `; errors: ${r.errors.slice(0, 3).join(' | ')}` : ''}`);
  } catch (e) {
    r.errors.push(`sign-in or renewal failed: ${String((e as Error).message).split('\n')[0]}`, ...errors.slice(0, 3).map((x) => x.split('\n')[0]));
    log(`    FAILED ${r.errors.join(' | ')}`);
  } finally {
    for (const c of contexts) await c.close().catch(() => {});
    await server.close();
    await provider.close();
  }
  return r;
}

/**
 * A refresh token for the raw round trips: an authorization code + PKCE sign-in of `spa-code` driven
 * by a browser context of its own (the provider signs in without a human; the code is read from the
 * redirect back to the app origin, where nothing listens yet), the code exchanged from node.
 */
async function codeExchangeFromNode(browser: any, provider: any): Promise<string | undefined> {
  const { createHash, randomBytes } = await import('node:crypto');
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const u = new URL(`${provider.issuer}/auth`);
  const params = {
    client_id: 'spa-code', response_type: 'code', scope: 'openid offline_access', redirect_uri: `${APP}/`,
    state: randomBytes(8).toString('hex'), nonce: randomBytes(8).toString('hex'), code_challenge: challenge, code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  const ctx = await browser.newContext();
  try {
    const page = await ctx.newPage();
    let code: string | null = null;
    page.on('request', (req: any) => {
      const url = new URL(req.url());
      if (url.origin === APP && url.searchParams.has('code')) code = url.searchParams.get('code');
    });
    await page.goto(u.href).catch(() => { /* nothing listens on the app origin yet */ });
    if (!code) return undefined;
    const res = await fetch(`${provider.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: `${APP}/`, client_id: 'spa-code', code_verifier: verifier }),
    });
    const json = await res.json();
    return json.refresh_token;
  } finally {
    await ctx.close();
  }
}

/**
 * Smoke check of a size contender's build: it boots without a page error, and its Sign in button
 * sends the browser to the provider with an authorization request (code + PKCE S256). Guards the
 * size figures against an app that compiles but does not work.
 */
export async function smokeCheck(dists: { id: string; dist: string }[], log: (s: string) => void): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const browser = await launchChromium({ hostRules: [] });
  const provider = await startProvider({ port: PROVIDER_PORT, apps: [APP], accessTokenTtl: 3600, quiet: true });
  try {
    for (const d of dists) {
      const server = await startStatic({ root: d.dist, port: APP_PORT });
      const ctx = await browser.newContext();
      try {
        const page = await ctx.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e: any) => errors.push(String(e).split('\n')[0]));
        page.on('console', (m: any) => { if (m.type() === 'error') errors.push(m.text().split('\n')[0]); });
        let authUrl: URL | null = null;
        page.on('request', (req: any) => {
          const u = new URL(req.url());
          // Same host as the provider; auth0-spa-js always uses https://<domain>/authorize.
          if (u.host === new URL(provider.issuer).host && u.searchParams.has('response_type')) authUrl ??= u;
        });
        await page.goto(`${APP}/`);
        await page.waitForSelector('#login', { timeout: 10000 });
        await sleep(1000);
        const bootErrors = [...errors];
        await page.click('#login');
        const deadline = Date.now() + 8000;
        while (!authUrl && Date.now() < deadline) await sleep(100);
        const u = authUrl as URL | null;
        const pkce = u?.searchParams.get('code_challenge_method');
        const rt = u?.searchParams.get('response_type');
        out[d.id] = !u
          ? `no authorization request after Sign in${errors.length ? ` (${errors[0].slice(0, 120)})` : ''}`
          : `boots${bootErrors.length ? ` with ${bootErrors.length} console error(s): ${bootErrors[0].slice(0, 100)}` : ' clean'}; Sign in → ${u.protocol === 'https:' ? 'https://…' : ''}${u.pathname} response_type=${rt}${pkce ? ` PKCE ${pkce}` : ''}`;
      } catch (e) {
        out[d.id] = `failed: ${String((e as Error).message).split('\n')[0]}`;
      } finally {
        await ctx.close().catch(() => {});
        await server.close();
      }
      log(`  smoke ${d.id}: ${out[d.id]}`);
    }
  } finally {
    await provider.close();
    await browser.close();
  }
  return out;
}

/**
 * Runs `renewals` renewals under the Chrome CPU profiler (50 µs sampling) and sums the self time of
 * every sample by module group: the app's chunks through their source maps (bench/size.ts groups),
 * "(garbage collector)", "(program)" (the browser's own work outside JS), native functions by name.
 * Idle samples are left out. Returns ms per renewal.
 */
async function profileRenewals(ctx: any, page: any, dist: string, renewals: number) {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
  await cdp.send('Profiler.start');
  for (let i = 0; i < renewals; i++) {
    await page.evaluate(() => (window as any).auth.renewToken());
    await sleep(100);
  }
  const { profile } = await cdp.send('Profiler.stop');
  await cdp.detach().catch(() => {});
  const maps = new Map<string, ParsedMap | null>();
  const mapFor = (url: string): ParsedMap | null => {
    if (!maps.has(url)) {
      let m: ParsedMap | null = null;
      try {
        const u = new URL(url);
        const f = join(dist, decodeURIComponent(u.pathname));
        if (u.origin === APP && existsSync(`${f}.map`)) m = parseMap(`${f}.map`);
      } catch { /* not a URL */ }
      maps.set(url, m);
    }
    return maps.get(url)!;
  };
  const groupOfNode = new Map<number, string>();
  for (const n of profile.nodes) {
    const cf = n.callFrame;
    let g: string;
    if (cf.functionName === '(idle)') g = '(idle)';
    else if (/^\(.*\)$/.test(cf.functionName) && !cf.url) g = cf.functionName;
    else if (!cf.url) g = `(native) ${cf.functionName || 'anonymous'}`;
    else {
      const m = mapFor(cf.url);
      const src = m ? sourceAt(m, cf.lineNumber, cf.columnNumber) : null;
      g = src ? groupOf(src) : new URL(cf.url).origin === APP ? '(app code, unmapped)' : `(other) ${new URL(cf.url).host}`;
    }
    groupOfNode.set(n.id, g);
  }
  const self = new Map<string, number>();
  const samples: number[] = profile.samples ?? [];
  const deltas: number[] = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const g = groupOfNode.get(samples[i]) ?? '?';
    const us = deltas[i + 1] ?? 0;
    self.set(g, (self.get(g) ?? 0) + us);
  }
  self.delete('(idle)');
  const groups = [...self.entries()].map(([group, us]) => ({ group, ms: us / 1000 / renewals })).sort((a, b) => b.ms - a.ms);
  return { renewals, totalMs: groups.reduce((s2, g) => s2 + g.ms, 0), groups };
}
