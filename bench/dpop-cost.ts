// Part 4: what a DPoP proof costs per request, in headless Chromium against the e2e provider.
//
// Two apps made like the e2e ones (`ng add` + the e2e page, the interceptor wired with secureRoutes
// ['<issuer>/me']): the default setup (Bearer) and `--dpop`. After one sign-in each:
//  - proof(): the generated `dpop.ts` proof() called directly (ES256 signature + the token's
//    SHA-256 for `ath`), through a hook the bench adds to main.ts of the DPoP app only; timed in
//    batches of 10 (the page clock ticks in 0.1 ms);
//  - GET /me through the app's HttpClient (interceptor), Bearer vs DPoP in alternating blocks of
//    10, timed in the page, with the provider's own handling time of each call from its log.
// Warm-up calls first (not counted).
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { copyPage, wireInterceptor } from '../e2e/make-app.ts';
import { startProvider } from '../e2e/provider/provider.ts';
import { startStatic } from '../e2e/static-server.ts';
import { launchChromium } from '../e2e/lib/chromium.ts';
import { APP, APP_PORT, ISSUER, PROVIDER_PORT } from './contenders.ts';
import { APP_NAME, WORK, copyBase, sh } from './lib/workspace.ts';

export interface DpopCost {
  n: number;
  /** proof() calls per timed batch. */
  batch: number;
  /** ms per direct proof() call, one figure per batch. */
  proof: number[];
  /** ms per GET /me through HttpClient, and the provider's handling ms of each. */
  bearer: number[];
  bearerProvider: number[];
  dpop: number[];
  dpopProvider: number[];
  errors: string[];
}

export const WARMUP = 10;
/** Calls of one kind in a row before the other kind's turn. */
const BLOCK = 10;
const PROOF_BATCH = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `ng add` with `flags`, the e2e page, the interceptor on `<issuer>/me`, built; returns the dist. */
async function makeApp(base: string, tarball: string, id: string, flags: string[], hook: boolean, log: (s: string) => void): Promise<string> {
  const dir = copyBase(base, 'dpop', id);
  const logFile = join(WORK, 'logs', `dpop-${id}.log`);
  await sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', '--authority', ISSUER, '--flow', 'code', '--renewal', 'refresh-token', ...flags], dir, logFile);
  copyPage(dir);
  wireInterceptor(dir, [`${ISSUER}/me`]);
  if (hook) {
    // The bench's handle on the generated proof(): a lazy import, so the module is the app's own chunk.
    const main = join(dir, 'src', 'main.ts');
    writeFileSync(main, `${readFileSync(main, 'utf8')}\n(window as unknown as Record<string, unknown>)['benchDpop'] = () => import('./app/auth/dpop');\n`);
  }
  await sh('ng', ['build'], dir, logFile);
  log(`  dpop cost: built ${id}`);
  return join(dir, 'dist', APP_NAME, 'browser');
}

async function signIn(page: any): Promise<void> {
  await page.goto(`${APP}/`);
  await page.waitForFunction(() => Boolean((window as any).auth && (window as any).api), null, { timeout: 20000 });
  await page.evaluate(() => { void (window as any).auth.login(); });
  await page.waitForFunction(() => Boolean((window as any).auth?.isAuthenticated?.()), null, { timeout: 30000 });
}

/** `count` GETs of /me through window.api, one at a time: page ms of each. */
function callMe(page: any, count: number): Promise<{ ms: number[]; statuses: number[] }> {
  return page.evaluate(async ([u, n]: [string, number]) => {
    const ms: number[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      const r = await (window as any).api(u);
      ms.push(performance.now() - t);
      statuses.push(r.status);
    }
    return { ms, statuses };
  }, [`${ISSUER}/me`, count] as [string, number]);
}

/**
 * `batches` timings of `size` proof() calls each, ms per call: the page clock ticks in 0.1 ms
 * (Chromium without cross-origin isolation), about one proof, so single calls would round to 0 or 0.1.
 */
function timeProofs(page: any, batches: number, size: number): Promise<number[]> {
  return page.evaluate(async ([u, b, k, warm]: [string, number, number, number]) => {
    const w = window as any;
    const dpop = await w.benchDpop();
    const keys = await dpop.sessionKeys(w.authConfig, false);
    if (!keys) throw new Error('no DPoP key in the page after sign-in');
    const token = w.auth.accessToken();
    for (let i = 0; i < warm; i++) await dpop.proof(keys, 'GET', u, token);
    const ms: number[] = [];
    for (let i = 0; i < b; i++) {
      const t = performance.now();
      for (let j = 0; j < k; j++) await dpop.proof(keys, 'GET', u, token);
      ms.push((performance.now() - t) / k);
    }
    return ms;
  }, [`${ISSUER}/me`, batches, size, WARMUP] as [string, number, number, number]);
}

export async function dpopCostBench(opts: { base: string; tarball: string; n: number; log: (s: string) => void }): Promise<DpopCost> {
  const bearerDist = await makeApp(opts.base, opts.tarball, 'bearer', ['--client-id', 'spa-code'], false, opts.log);
  const dpopDist = await makeApp(opts.base, opts.tarball, 'dpop', ['--client-id', 'spa-dpop', '--dpop'], true, opts.log);
  const out: DpopCost = { n: opts.n, batch: PROOF_BATCH, proof: [], bearer: [], bearerProvider: [], dpop: [], dpopProvider: [], errors: [] };
  const browser = await launchChromium({ hostRules: [] });
  // Long-lived access tokens: no renewal runs during the measurements.
  const provider = await startProvider({ port: PROVIDER_PORT, apps: [APP], accessTokenTtl: 3600, quiet: true });
  try {
    // Each app served while its page loads and signs in; then the calls only go to the provider,
    // so both pages (one browser context each) stay usable and the two kinds of call interleave.
    const pages: Record<'bearer' | 'dpop', any> = { bearer: null, dpop: null };
    for (const [kind, dist] of [['bearer', bearerDist], ['dpop', dpopDist]] as const) {
      const server = await startStatic({ root: dist, port: APP_PORT });
      try {
        const page = await (await browser.newContext()).newPage();
        page.on('pageerror', (e: any) => out.errors.push(`${kind}: ${String(e).split('\n')[0]}`));
        await signIn(page);
        // Warm-up while the app is served: every chunk these calls need is loaded now.
        await callMe(page, WARMUP);
        if (kind === 'dpop') await page.evaluate(() => (window as any).benchDpop());
        pages[kind] = page;
      } finally {
        await server.close();
      }
    }
    const blocks = Math.ceil(opts.n / BLOCK);
    for (let i = 0; i < blocks; i++) {
      // Alternating order per block, so neither kind always runs first.
      for (const kind of i % 2 ? (['dpop', 'bearer'] as const) : (['bearer', 'dpop'] as const)) {
        const t0 = Date.now();
        const r = await callMe(pages[kind], Math.min(BLOCK, opts.n - i * BLOCK));
        await sleep(50); // the provider logs a request once answered
        const calls = provider.since(t0).filter((e: any) => e.path === '/me' && e.method === 'GET');
        out[kind].push(...r.ms);
        out[kind === 'bearer' ? 'bearerProvider' : 'dpopProvider'].push(...calls.map((e: any) => e.ms ?? NaN));
        const bad = r.statuses.filter((x) => x !== 200);
        if (bad.length) out.errors.push(`${kind}: ${bad.length} call(s) answered ${[...new Set(bad)].join(', ')}`);
        if (calls.length !== r.ms.length) out.errors.push(`${kind}: ${calls.length} /me requests at the provider for ${r.ms.length} calls`);
      }
    }
    out.proof = await timeProofs(pages.dpop, opts.n, PROOF_BATCH);
  } finally {
    await provider.close();
    await browser.close();
  }
  opts.log(`  dpop cost: ${out.proof.length} × ${PROOF_BATCH} proofs, ${out.bearer.length} Bearer and ${out.dpop.length} DPoP calls${out.errors.length ? `; errors: ${out.errors.join('; ')}` : ''}`);
  return out;
}
