// Part 2: renewal cost of ngx-auth-renew against the e2e OpenID provider, in headless Chromium.
//
// Per renewal mode: sign in (the provider signs the test user in without a human), then N times,
// interleaved (order alternating): `await window.auth.renewToken()` timed in the page (performance.now), and the raw
// token-endpoint round trip — a refresh_token grant posted with fetch() from the same page, on a
// refresh-token chain of its own (a second sign-in in another browser context, closed before), so
// the app's own refresh token is never used twice. Requests are counted from the provider's log.
import { startProvider } from '../e2e/provider/provider.mjs';
import { startStatic } from '../e2e/static-server.mjs';
import { launchChromium } from '../e2e/lib/chromium.mjs';
import { APP, APP_PORT, PROVIDER_PORT } from './contenders.ts';
import { median } from './lib/stats.ts';

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
  /** Times of the warm-up renewal (not in the medians). */
  warmup: { latency?: number; raw?: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
