// Benchmarks of ngx-auth-renew against its peers: initial bundle size, renewal cost, `ng add` time;
// and its own costs: a DPoP proof, the --bff API proxy.
//
//   npm run bench                        (= node bench/run.ts; node >= 23.6 for type stripping)
//   node bench/run.ts [--only size,renewal,ng-add,dpop,bff] [--builds 3] [--renewals 41] [--ng-add-runs 21] [--dpop-calls 100] [--bff-calls 500]
//                     [--tarball x.tgz] [--reuse-base] [--contenders bare,ngx-auth-renew,...]
//
// Everything is made under bench/.work/ (git-ignored); the tables are printed and written to
// bench/RESULTS.md (only the parts that ran). Builds run one at a time.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { packTarball } from '../e2e/make-app.ts';
import { CONTENDERS } from './contenders.ts';
import { APP_NAME, BENCH, ROOT, WORK, makeBase } from './lib/workspace.ts';
import { kB, max, median, min, ms, signedKB } from './lib/stats.ts';
import { oauth4webapiCost, oauth4webapiImports, prepare, sizeBench } from './size.ts';
import type { SizeResult } from './size.ts';
import { renewalBench, smokeCheck } from './renewal.ts';
import type { RenewalResult } from './renewal.ts';
import { ngAddBench } from './ng-add-time.ts';
import type { NgAddRow } from './ng-add-time.ts';
import type { ProbeRow } from './ng-add-probe.ts';
import { WARMUP as DPOP_WARMUP, dpopCostBench } from './dpop-cost.ts';
import type { DpopCost } from './dpop-cost.ts';
import { SLOW_MS as BFF_SLOW_MS, WARMUP as BFF_WARMUP, bffProxyBench } from './bff-proxy.ts';
import type { BffProxyCost } from './bff-proxy.ts';

const argv = process.argv.slice(2);
const opt = (k: string) => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
const PARTS = (opt('--only') ?? 'size,renewal,ng-add,dpop,bff').split(',');
const BUILDS = Number(opt('--builds') ?? 3);
const RENEWALS = Number(opt('--renewals') ?? 41);
const NG_ADD_RUNS = Number(opt('--ng-add-runs') ?? 21);
const DPOP_CALLS = Number(opt('--dpop-calls') ?? 100);
const BFF_CALLS = Number(opt('--bff-calls') ?? 500);
const ONLY_CONTENDERS = opt('--contenders')?.split(',');
const TARGET_GZIP = 7000;
const TARGET_LATENCY = 1.2;

const log = (s: string) => console.error(s);
/** One line per target, gathered by the tables, printed at the top. */
const glance: string[] = [];
process.env.PATH = `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}`;
process.env.NG_CLI_ANALYTICS = 'false';

async function main() {
  mkdirSync(join(WORK, 'logs'), { recursive: true });
  const started = new Date();
  log(`bench: parts ${PARTS.join(', ')}`);

  // The package under test, packed once and copied aside (e2e may repack while this runs).
  let tarball = opt('--tarball') ? resolve(opt('--tarball')!) : undefined;
  if (!tarball && PARTS.some((p) => p === 'size' || p === 'ng-add' || p === 'renewal' || p === 'dpop' || p === 'bff')) {
    log('packing ngx-auth-renew (npm run build + npm pack, e2e/make-app.ts packTarball)');
    const packed: string = await packTarball();
    tarball = join(WORK, 'ngx-auth-renew.tgz');
    copyFileSync(packed, tarball);
  }
  // The --bff part makes its own SSR workspace (e2e/.work/base-ssr).
  const needsBase = PARTS.some((p) => p !== 'bff');
  if (needsBase) log('ng new (bench/.work/base)');
  const base = needsBase ? await makeBase(argv.includes('--reuse-base')) : '';

  const md: string[] = [];
  md.push('# ngx-auth-renew benchmarks', '');
  md.push(machine(started), '');

  let sizes: SizeResult[] | undefined;
  if (PARTS.includes('size')) {
    log(`\n1. bundle size (${BUILDS} build(s) per contender)`);
    const l0 = load();
    sizes = await sizeBench({ base, tarball: tarball!, builds: BUILDS, only: ONLY_CONTENDERS, log });
    log('  smoke check of each build (boots, Sign in sends an authorization request)');
    try {
      const smoke = await smokeCheck(sizes.filter((r) => !r.error && r.id !== 'bare').map((r) => ({ id: r.id, dist: r.dist })), log);
      for (const r of sizes) if (smoke[r.id]) r.smoke = smoke[r.id];
    } catch (e) {
      log(`  smoke check failed: ${String((e as Error).message).split('\n')[0]}`);
    }
    md.push(await sizeTable(sizes), '');
    md.push(`(1-minute load average at start / end of this part: ${l0} / ${load()} on ${cpus().length} CPUs)`, '');
  }

  if (PARTS.includes('renewal')) {
    log(`\n2. renewal cost (${RENEWALS} renewals per mode)`);
    const apps: { id: string; mode: RenewalResult['mode']; dist: string }[] = [];
    for (const c of CONTENDERS.filter((c) => c.renewal)) {
      let dist = sizes?.find((s) => s.id === c.id && !s.error)?.dist;
      const reused = join(WORK, 'apps', c.id, 'dist', APP_NAME, 'browser');
      if (!dist && existsSync(join(reused, 'index.html')) && argv.includes('--reuse-apps')) dist = reused;
      if (!dist) {
        try {
          const { dir } = await prepare(c, base, tarball!, log);
          const { buildAndMeasure } = await import('./lib/workspace.ts');
          await buildAndMeasure(dir, join(WORK, 'logs', `${c.id}.log`));
          dist = join(dir, 'dist', APP_NAME, 'browser');
        } catch (e) {
          log(`  ${c.id}: could not build: ${String((e as Error).message).split('\n')[0]}`);
          continue;
        }
      }
      apps.push({ id: c.id, mode: c.renewal!, dist });
    }
    const l0 = load();
    const renewals = await renewalBench({ apps, renewals: RENEWALS, log });
    md.push(renewalTable(renewals), '');
    md.push(`(1-minute load average at start / end of this part: ${l0} / ${load()} on ${cpus().length} CPUs; the machine is shared, and at localhost a renewal is a few ms, so the latency ratio moves by ±0.1–0.3 between runs: read it with the paired overhead in ms)`, '');
  }

  if (PARTS.includes('ng-add')) {
    log(`\n3. ng add time (${NG_ADD_RUNS} runs per package and mode)`);
    const l0 = load();
    const { rows, probe } = await ngAddBench({ base, tarball: tarball!, runs: NG_ADD_RUNS, log });
    md.push(ngAddTable(rows), '', probeTable(probe), '');
    md.push(`(1-minute load average at start / end of this part: ${l0} / ${load()} on ${cpus().length} CPUs)`, '');
  }

  if (PARTS.includes('dpop')) {
    log(`\n4. DPoP cost per request (${DPOP_CALLS} calls each)`);
    const l0 = load();
    const cost = await dpopCostBench({ base, tarball: tarball!, n: DPOP_CALLS, log });
    md.push(dpopTable(cost), '');
    md.push(`(1-minute load average at start / end of this part: ${l0} / ${load()} on ${cpus().length} CPUs)`, '');
  }

  if (PARTS.includes('bff')) {
    log(`\n5. --bff API proxy cost (${BFF_CALLS} calls each)`);
    const l0 = load();
    const cost = await bffProxyBench({ tarball, n: BFF_CALLS, log });
    md.push(bffTable(cost), '');
    md.push(`(1-minute load average at start / end of this part: ${l0} / ${load()} on ${cpus().length} CPUs)`, '');
  }

  if (glance.length) md.splice(4, 0, '## Targets at a glance', '', ...glance.map((g) => `- ${g}`), '');
  const text = md.join('\n').replace(/\n{3,}/g, '\n\n');
  console.log(text);
  const results = join(BENCH, 'RESULTS.md');
  writeFileSync(results, text);
  log(`\nwritten to ${results}`);
}

function machine(started: Date): string {
  const cpu = (readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? cpus()[0]?.model ?? '?').trim();
  let nproc = String(cpus().length);
  try { nproc = execFileSync('nproc', { encoding: 'utf8' }).trim(); } catch { /* os.cpus() then */ }
  let chromium = '';
  try { chromium = execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(); } catch { /* not there */ }
  let ng = '';
  try { ng = JSON.parse(readFileSync(join(ROOT, 'node_modules', '@angular', 'cli', 'package.json'), 'utf8')).version; } catch { /* none */ }
  return [
    `- date: ${started.toISOString()}`,
    `- machine: nproc ${nproc}, ${cpu}, ${Math.round(require_totalmem() / 2 ** 30)} GiB RAM (shared with other jobs while this ran)`,
    `- node ${process.version}, Angular CLI ${ng}${chromium ? `, ${chromium}` : ''}`,
    `- command: \`node bench/run.ts ${argv.join(' ')}\``.replace(/ `$/, '`'),
  ].join('\n');
}

/** 1-minute load average (other jobs share the machine). */
function load(): string {
  try { return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]; } catch { return '?'; }
}

function require_totalmem(): number {
  const m = /MemTotal:\s+(\d+) kB/.exec(readFileSync('/proc/meminfo', 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

async function sizeTable(rs: SizeResult[]): Promise<string> {
  const bare = rs.find((r) => r.id === 'bare' && !r.error);
  const out: string[] = [];
  out.push('## 1. Initial bundle size', '');
  out.push('Fresh `ng new` (Angular 22, standalone, router) per contender, the same root component (status bound to');
  out.push('"is authenticated", Sign in / Sign out buttons), code + PKCE, refresh-token renewal, session check at');
  out.push('start-up; `ng build` (production). Initial = the scripts, module preloads and style sheets `index.html`');
  out.push('references; gzip = node:zlib level 9 of each file, summed. kB = 1000 B. Δ = over the bare app. Lazy = the other');
  out.push('JS files of the build (chunks loaded on first use).', '');
  out.push('| contender | version | initial raw kB | initial gzip kB | Δ raw kB | Δ gzip kB | lazy JS raw kB | lazy JS gzip kB | Δ gzip initial + lazy kB | builds n | notes |');
  out.push('|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|');
  for (const r of rs) {
    if (r.error) {
      out.push(`| ${r.label} | | failed | | | | | | | 0 | ${r.error.replace(/\|/g, '/').slice(0, 200)} |`);
      continue;
    }
    const notes = [...r.notes];
    if (r.smoke) notes.push(`smoke: ${r.smoke.replace(/\|/g, '/')}`);
    if (!r.stable) notes.push('sizes differed between builds (median shown)');
    out.push(`| ${r.label} | ${r.version} | ${kB(r.raw)} | ${kB(r.gzip)} | ${bare ? signedKB(r.raw - bare.raw) : 'n/a'} | ${bare ? signedKB(r.gzip - bare.gzip) : 'n/a'} | ${kB(r.lazyRaw)} | ${kB(r.lazyGzip)} | ${bare ? signedKB(r.gzip + r.lazyGzip - bare.gzip - bare.lazyGzip) : 'n/a'} | ${r.n} | ${notes.join('; ')} |`);
  }
  const allStable = rs.filter((r) => !r.error).every((r) => r.stable);
  out.push('', `Every build of a contender gave ${allStable ? 'byte-identical' : 'not always identical'} output (sizes are deterministic; n = builds).`);
  const nar = rs.find((r) => r.id === 'ngx-auth-renew' && !r.error);
  const peers = rs.filter((r) => !r.error && !r.id.startsWith('ngx-auth-renew') && r.id !== 'bare');
  if (bare && nar) {
    const d = nar.gzip - bare.gzip;
    const lightest = peers.sort((a, b) => a.gzip - b.gzip)[0];
    out.push('', '### Targets', '');
    const line = `ngx-auth-renew default adds **${kB(d)} kB gzip** to the initial bundle (target ≤ ${kB(TARGET_GZIP)} kB): ${d <= TARGET_GZIP ? 'met' : `**missed by ${kB(d - TARGET_GZIP)} kB** (${((d / TARGET_GZIP - 1) * 100).toFixed(0)} % over)`}.${nar.lazyGzip ? ` Plus ${kB(nar.lazyGzip)} kB gzip in lazy chunks (loaded on first protocol use: sign-in, callback, renewal): ${kB(nar.gzip + nar.lazyGzip - bare.gzip - bare.lazyGzip)} kB in all.` : ''}`;
    out.push(`- ${line}`);
    glance.push(`size: ${line}`);
    if (lightest) {
      const dl = lightest.gzip - bare.gzip;
      const tn = nar.gzip + nar.lazyGzip - bare.gzip - bare.lazyGzip;
      const tl = lightest.gzip + lightest.lazyGzip - bare.gzip - bare.lazyGzip;
      const l2 = `lightest contender: ${lightest.label}, +${kB(dl)} kB gzip initial (+${kB(tl)} kB with lazy chunks); ngx-auth-renew default adds ${(d / dl).toFixed(2)}× that initially (${signedKB(d - dl)} kB), ${(tn / tl).toFixed(2)}× in all (${signedKB(tn - tl)} kB).`;
      out.push(`- ${l2}`);
      glance.push(`size: ${l2}`);
    }
    const dpop = rs.find((r) => r.id === 'ngx-auth-renew-dpop' && !r.error);
    if (dpop) {
      const d2 = dpop.gzip - nar.gzip;
      const l3 = `ngx-auth-renew --dpop: initial ${kB(dpop.gzip)} kB gzip vs ${kB(nar.gzip)} kB for the default setup (${d2 === 0 ? 'unchanged' : `${d2 > 0 ? '+' : ''}${d2} B`}, raw ${signedKB(dpop.raw - nar.raw)} kB); the DPoP code in lazy chunks: ${kB(dpop.lazyGzip)} kB gzip lazy vs ${kB(nar.lazyGzip)} kB (${signedKB(dpop.lazyGzip - nar.lazyGzip)} kB).`;
      out.push(`- ${l3}`);
      glance.push(`size: ${l3}`);
    }
    out.push('', '### Where the bytes go', '');
    out.push('Emitted bytes (minified, before gzip) per module, from the source maps of one more build with `--source-map`,');
    out.push('initial files and lazy chunks apart; the groups that differ from the bare app. "≈ gzip" spreads the initial');
    out.push('Δ gzip pro rata over the initial Δ bytes (gzip is not additive: an estimate).', '');
    for (const r of [nar, ...rs.filter((x) => x.id.startsWith('ngx-auth-renew-') && !x.error), ...(lightest ? [lightest] : [])]) {
      const dRaw = r.jsRaw - bare.jsRaw;
      out.push(`**${r.label}** (initial: Δ raw JS ${signedKB(dRaw)} kB, Δ gzip ${signedKB(r.gzip - bare.gzip)} kB; lazy JS ${kB(r.lazyRaw)} kB)`, '');
      out.push('| module group | bare initial B | initial B | Δ initial B | ≈ Δ initial gzip B | lazy B |', '|---|--:|--:|--:|--:|--:|');
      const gi = r.groups.initial;
      const gl = r.groups.lazy;
      const bi = bare.groups.initial;
      const keys = new Set([...Object.keys(gi), ...Object.keys(gl), ...Object.keys(bi)]);
      const rows = [...keys].map((k) => ({ k, a: bi[k] ?? 0, b: gi[k] ?? 0, l: gl[k] ?? 0 }))
        .filter((x) => x.b !== x.a || x.l)
        .sort((x, y) => (y.b - y.a + y.l) - (x.b - x.a + x.l));
      const ratio = dRaw > 0 ? (r.gzip - bare.gzip) / dRaw : 0;
      for (const x of rows.slice(0, 16)) out.push(`| ${x.k} | ${x.a} | ${x.b} | ${x.b - x.a >= 0 ? '+' : ''}${x.b - x.a} | ${Math.round((x.b - x.a) * ratio)} | ${x.l || ''} |`);
      if (rows.length > 16) out.push(`| (${rows.length - 16} more groups) | | | ${rows.slice(16).reduce((s2, x) => s2 + x.b - x.a, 0)} | | ${rows.slice(16).reduce((s2, x) => s2 + x.l, 0)} |`);
      out.push('');
      if (r.id.startsWith('ngx-auth-renew')) {
        const names = await oauth4webapiImports(r.dir);
        if (names.length) out.push(`oauth4webapi functions the generated code imports: ${names.map((n) => `\`${n}\``).join(', ')}.`, '');
        const cost = r.id === 'ngx-auth-renew' ? await oauth4webapiCost(r.dir, names) : null;
        if (cost) {
          out.push(`Those functions bundled alone (esbuild, minified): ${kB(cost.raw)} kB raw, ${kB(cost.gzip)} kB gzip. Per function, the bytes that go when it is left out (shared helpers counted under none):`, '');
          out.push('| oauth4webapi function | raw B | gzip B |', '|---|--:|--:|');
          for (const e of cost.each) out.push(`| \`${e.name}\` | ${e.raw} | ${e.gzip} |`);
          const shared = cost.raw - cost.each.reduce((s2, e) => s2 + e.raw, 0);
          out.push(`| (shared helpers, kept by any of them) | ${shared} | ${cost.gzip - cost.each.reduce((s2, e) => s2 + e.gzip, 0)} |`, '');
        }
      }
    }
  }
  return out.join('\n');
}

function renewalTable(rs: RenewalResult[]): string {
  const out: string[] = [];
  out.push('## 2. Renewal cost', '');
  out.push('ngx-auth-renew apps of part 1 (same `ng add` configurations), served statically, against the e2e OpenID');
  out.push('provider (oidc-provider, `e2e/provider/provider.ts`, localhost), headless Chromium. After one sign-in,');
  out.push('each renewal is `await window.auth.renewToken()` timed in the page; interleaved with each (order alternating), the raw round trip:');
  out.push('a `refresh_token` grant POSTed with `fetch()` from the same page to the same token endpoint (own token chain).');
  out.push('Requests = every request the provider served while the renewal ran (over n + 1 renewals: the first');
  out.push('is a warm-up, its times are shown apart). Latency medians over the n renewals after the warm-up.', '');
  out.push('| renewal | n | requests / renewal (median, max) | protocol minimum | provider requests (total over n + 1) | app-origin requests (total) | median latency ms | raw token round trip ms | latency / raw | overhead ms (paired median) | provider time ms (renewal / raw) | new token every time | warm-up ms (renewal / raw) |');
  out.push('|---|--:|--:|--:|---|---|--:|--:|--:|--:|--:|---|--:|');
  for (const r of rs) {
    const lat = median(r.latencies);
    const raw = median(r.raw);
    const by = Object.entries(r.byEndpoint).map(([k, v]) => `${k} ×${v}`).join('<br>');
    const app = Object.entries(r.appRequests).map(([k, v]) => `${k} ×${v}`).join('<br>') || '—';
    out.push(`| ${r.id} (${r.mode}) | ${r.n} | ${r.requests.length ? `${median(r.requests)}, ${max(r.requests)}` : 'n/a'} | ${r.minimum} | ${by} | ${app} | ${ms(lat)} | ${ms(raw)} | ${Number.isFinite(lat / raw) ? (lat / raw).toFixed(2) : 'n/a'} | ${ms(median(r.pairedOverhead))} | ${ms(median(r.providerMs))} / ${ms(median(r.rawProviderMs))} | ${r.tokenChanged.every(Boolean) && r.n ? 'yes' : `no (${r.tokenChanged.filter(Boolean).length}/${r.tokenChanged.length})`} | ${ms(r.warmup.latency ?? NaN)} / ${ms(r.warmup.raw ?? NaN)} |`);
  }
  out.push('', '### Where the renewal time goes', '');
  out.push('Median ms between consecutive steps (request arrival times from the provider and static-server logs, the');
  out.push('start and end of `renewToken()` from the page; one clock). "provider handling" = the provider\'s own time for');
  out.push('that request; the rest of a step is the browser and the generated code (and, for iframe, loading the frame).', '');
  for (const r of rs) {
    if (!r.n) continue;
    out.push(`**${r.id}** (median total ${ms(median(r.latencies))} ms; raw token round trip ${ms(median(r.raw))} ms, of which provider ${ms(median(r.rawProviderMs))} ms)`, '');
    out.push('| step | median ms |', '|---|--:|');
    for (const [k, v] of Object.entries(r.phases)) out.push(`| ${k.replace(/\|/g, '/')} | ${ms(median(v))} |`);
    if (r.profile) {
      out.push('', `CPU profile of ${r.profile.renewals} more renewals (Chrome sampling profiler, 50 µs; self time by module through the source maps; idle left out; the sleeps between renewals are in it, so "(program)" and the collector include some background work): ${ms(r.profile.totalMs, 2)} ms of page CPU per renewal.`, '');
      out.push('| where | ms per renewal |', '|---|--:|');
      for (const g of r.profile.groups.slice(0, 12)) out.push(`| ${g.group.replace(/\|/g, '/')} | ${ms(g.ms, 2)} |`);
      const rest = r.profile.groups.slice(12).reduce((s2, g) => s2 + g.ms, 0);
      if (rest) out.push(`| (${r.profile.groups.length - 12} more) | ${ms(rest, 2)} |`);
    }
    out.push('', `raw fetch() of the same run: ${Object.entries(r.rawPhases).map(([k, v]) => `${k.trim()} ${ms(median(v))} ms`).join('; ')}. renewToken() − raw, paired per renewal: median ${ms(median(r.pairedOverhead))} ms (min ${ms(min(r.pairedOverhead))}, max ${ms(max(r.pairedOverhead))}).`, '');
  }
  const errs = rs.filter((r) => r.errors.length);
  if (errs.length) {
    out.push('', 'Errors seen:');
    for (const r of errs) out.push(`- ${r.id}: ${[...new Set(r.errors)].slice(0, 5).join('; ')}`);
  }
  out.push('', '### Targets', '');
  for (const r of rs) {
    if (!r.n) { out.push(`- ${r.id}: no measurement`); glance.push(`renewal ${r.id}: no measurement (${r.errors[0] ?? 'see errors'})`); continue; }
    const extra = max(r.requests) - r.minimum;
    glance.push(`renewal ${r.id}: ${extra <= 0 ? `${max(r.requests)} request(s) per renewal = protocol minimum: met` : `**${extra} request(s) beyond the protocol minimum** of ${r.minimum}: missed`} (n = ${r.requests.length}).`);
    out.push(`- ${r.id}: ${extra <= 0 ? `no request beyond the protocol minimum (${r.minimum})` : `**${extra} request(s) beyond the protocol minimum** of ${r.minimum} in the worst renewal (median ${median(r.requests)})`}.`);
    if (r.mode === 'refresh') {
      const q = median(r.latencies) / median(r.raw);
      // Both figures are a few ms at localhost, timed to ~0.1 ms: the ratio moves by ±0.1 between runs.
      const line = `${r.id}: latency ${ms(median(r.latencies))} ms = ${q.toFixed(2)}× the raw round trip (${ms(median(r.raw))} ms), target ≤ ${TARGET_LATENCY}×: ${q <= TARGET_LATENCY ? 'met' : `**missed by ${((q / TARGET_LATENCY - 1) * 100).toFixed(0)} %** (+${ms(median(r.latencies) - TARGET_LATENCY * median(r.raw))} ms over the budget)`}; paired overhead ${ms(median(r.pairedOverhead))} ms (n = ${r.n}).`;
      out.push(`- ${line}`);
      glance.push(`renewal ${line}`);
    }
  }
  return out.join('\n');
}

function quantile(xs: number[], q: number): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
}

function dpopTable(c: DpopCost): string {
  const out: string[] = [];
  out.push('## 4. DPoP cost per request', '');
  out.push('Two apps made like the e2e ones (`ng add` + the e2e page, `provideHttpClient(withInterceptors([authInterceptor]))`,');
  out.push('secureRoutes `[\'<issuer>/me\']`): the default setup (Bearer) and `--dpop` (client `spa-dpop`, DPoP-bound tokens),');
  out.push('against the e2e provider (localhost, no server nonces), headless Chromium. `proof()` = the generated `dpop.ts`');
  out.push('proof() called directly in the page (ES256 signature with the session\'s non-extractable key, SHA-256 of the');
  out.push(`token for \`ath\`), timed in ${c.proof.length} batches of ${c.batch} (the page clock ticks in 0.1 ms): ms per call, one figure per batch.`);
  out.push('GET /me = one call through HttpClient (interceptor), one at a time, timed in the page, Bearer and DPoP pages in');
  out.push('alternating blocks of 10; provider = its own handling time of the call (its log, whole ms; DPoP adds the proof');
  out.push(`check there). ${DPOP_WARMUP} warm-up calls of each kind first, not counted.`, '');
  out.push('| measure | n | median ms | p90 ms | min ms | max ms |', '|---|--:|--:|--:|--:|--:|');
  const row = (label: string, xs: number[]) => out.push(`| ${label} | ${xs.length} | ${ms(median(xs), 2)} | ${ms(quantile(xs, 0.9), 2)} | ${ms(min(xs), 2)} | ${ms(max(xs), 2)} |`);
  row(`\`proof()\` alone (--dpop), per call`, c.proof);
  row('GET /me via HttpClient, Bearer (default)', c.bearer);
  row('GET /me via HttpClient, DPoP token + proof (--dpop)', c.dpop);
  row('  provider handling, Bearer', c.bearerProvider);
  row('  provider handling, DPoP', c.dpopProvider);
  const extra = median(c.dpop) - median(c.bearer);
  const server = median(c.dpopProvider) - median(c.bearerProvider);
  const line = `DPoP: a proof costs ${ms(median(c.proof), 2)} ms in the page (median of ${c.proof.length} batches of ${c.batch}); a call through the interceptor ${ms(extra, 2)} ms more than with Bearer (medians of ${c.dpop.length}), of which ${ms(server, 2)} ms at the provider.`;
  out.push('', `- ${line}`);
  glance.push(line);
  if (c.errors.length) out.push('', `Errors seen: ${[...new Set(c.errors)].slice(0, 5).join('; ')}`);
  return out.join('\n');
}

function bffTable(c: BffProxyCost): string {
  const out: string[] = [];
  out.push('## 5. --bff: the API proxy against the same call made directly', '');
  out.push('The e2e `--bff` app served by its own server (`node dist/…/server/server.mjs`), http on localhost, one');
  out.push('session signed in from node; hour-long access tokens (no refresh while measuring). Direct = GET with');
  out.push('`Authorization: Bearer <the session\'s access token>` to the API (in a process of its own, bench/lib/upstream-server.ts,');
  out.push('as a real API is); proxied = GET /bff/api/<name>/… with the');
  out.push('session cookie and the CSRF header: session lookup (store read; decryption when not seen lately), CSRF check, the call');
  out.push(`upstream with the token, the answer streamed back. One keep-alive connection per side, one call at a time,`);
  out.push(`alternating blocks of 10; ${BFF_WARMUP} warm-up calls of each kind first, not counted.`, '');
  out.push('| call | n | median ms | p90 ms | min ms | max ms |', '|---|--:|--:|--:|--:|--:|');
  const row = (label: string, xs: number[]) => out.push(`| ${label} | ${xs.length} | ${ms(median(xs), 3)} | ${ms(quantile(xs, 0.9), 3)} | ${ms(min(xs), 3)} | ${ms(max(xs), 3)} |`);
  row('tiny JSON API, direct', c.direct);
  row('tiny JSON API, proxied, sessions in memory', c.memory);
  row('tiny JSON API, proxied, sessions in Redis', c.redis);
  row('tiny JSON API, direct (paired with the next row)', c.hopDirect);
  row('tiny JSON API through a minimal proxy hop (plain node:http, no session): the floor of any proxy', c.hop);
  row('provider /me, direct', c.meDirect);
  row('provider /me, proxied, sessions in memory', c.meProxied);
  row(`an API working ${BFF_SLOW_MS} ms per call, direct`, c.slowDirect);
  row(`an API working ${BFF_SLOW_MS} ms per call, proxied, sessions in memory`, c.slowProxied);
  row('--dpop: tiny JSON API, direct', c.dpopDirect);
  row('--dpop: tiny JSON API, proxied with a DPoP proof', c.dpop);
  row(`--dpop: an API working ${BFF_SLOW_MS} ms per call, direct`, c.dpopSlowDirect);
  row(`--dpop: an API working ${BFF_SLOW_MS} ms per call, proxied with a DPoP proof`, c.dpopSlow);
  const ratio = (a: number[], b: number[]) => median(a) / median(b);
  const extra = (a: number[], b: number[]) => `+${ms(median(a) - median(b), 2)} ms`;
  const lines = [
    `--bff proxy (sessions in memory) against the direct call (target ≤ ${TARGET_LATENCY}×): an API working ${BFF_SLOW_MS} ms ` +
      `${ms(ratio(c.slowProxied, c.slowDirect), 2)}× (${extra(c.slowProxied, c.slowDirect)}); the provider's /me ${ms(ratio(c.meProxied, c.meDirect), 2)}× ` +
      `(${extra(c.meProxied, c.meDirect)}); a tiny JSON API, i.e. the bare overhead, ${ms(ratio(c.memory, c.direct), 2)}× (${extra(c.memory, c.direct)}). ` +
      `The proxy adds a roughly fixed cost; the ratio falls as the API's own time grows. Of it, the hop alone (another HTTP exchange between processes, ` +
      `measured with a minimal proxy: plain node:http, no session) is ${extra(c.hop, c.hopDirect)} (${ms(ratio(c.hop, c.hopDirect), 2)}× on the tiny API); ` +
      `the BFF's own work (Express routing, CSRF check, session lookup, renewal check) the remaining ${ms(median(c.memory) - median(c.direct) - (median(c.hop) - median(c.hopDirect)), 2)} ms.`,
    `--bff session store: a proxied call with sessions in Redis takes ${ms(median(c.redis) - median(c.memory), 2)} ms more than in memory (medians of ${c.redis.length}).`,
    `--bff --dpop: a proxied call signs a DPoP proof with the session's key: an API working ${BFF_SLOW_MS} ms ${ms(ratio(c.dpopSlow, c.dpopSlowDirect), 2)}× ` +
      `(${extra(c.dpopSlow, c.dpopSlowDirect)}); the tiny API ${ms(ratio(c.dpop, c.dpopDirect), 2)}× (${extra(c.dpop, c.dpopDirect)}; without DPoP ${extra(c.memory, c.direct)}).`,
  ];
  out.push('', ...lines.map((l) => `- ${l}`));
  glance.push(...lines);
  if (c.errors.length) out.push('', `Errors seen: ${[...new Set(c.errors)].slice(0, 5).join('; ')}`);
  return out.join('\n');
}

function ngAddTable(rows: NgAddRow[]): string {
  const out: string[] = [];
  out.push('## 3. `ng add` time (install excluded)', '');
  out.push('Same fresh `ng new` copied per package; the package (and oauth4webapi for ngx-auth-renew) installed first, so');
  out.push('`ng add <pkg>@*` says "Skipping installation: Package already installed" and runs the ng-add schematic.');
  out.push('The workspace is restored between runs; packages alternate, in an order that changes every round; one unrecorded');
  out.push('warm-up round first. *dry-run* = the schematic phase alone (tree computed, nothing written, no scheduled task). *written* =');
  out.push('the real command, files written, plus the tasks the schematic schedules: for ngx-auth-renew its next steps and the');
  out.push('provider check (the private `next-steps` schematic, run once the files are written; here nothing answers on the');
  out.push('authority, so the check ends at once), and no install (its dependency is present); for angular-auth-oidc-client an');
  out.push('`npm install` (no-op on an installed tree), which it always schedules. For both, *written* also includes the CLI\'s');
  out.push('Prettier pass: Angular CLI 22 runs the workspace\'s prettier (`ng new` adds it) over every file a schematic created or');
  out.push('updated: 27 files for ngx-auth-renew (25 created, with the specs), 3 for angular-auth-oidc-client.', '');
  out.push('| package | mode | n | median ms | min ms | max ms | command |');
  out.push('|---|---|--:|--:|--:|--:|---|');
  for (const r of rows) {
    out.push(`| ${r.id}${r.version ? `@${r.version}` : ''} | ${r.mode} | ${r.n} | ${ms(median(r.times), 0)} | ${ms(min(r.times), 0)} | ${ms(max(r.times), 0)} | \`${r.command.replace(/\|/g, '\\|')}\`${r.error ? ` (${r.error})` : ''} |`);
  }
  const a = rows.find((r) => r.id === 'ngx-auth-renew' && r.mode.startsWith('dry'));
  const b = rows.find((r) => r.id === 'angular-auth-oidc-client' && r.mode.startsWith('dry'));
  const fl = rows.find((r) => r.id === 'CLI floor');
  if (a && b && fl) {
    const fa = median(a.times) - median(fl.times);
    const fb = median(b.times) - median(fl.times);
    const d = pairedByRound(a.times, b.times);
    const paired = `paired by round: median difference ${d.median >= 0 ? '+' : ''}${ms(d.median, 0)} ms, ngx-auth-renew faster in ${d.faster} of ${d.n} rounds`;
    glance.push(`ng add (dry-run, schematic only): ngx-auth-renew ${ms(median(a.times), 0)} ms vs angular-auth-oidc-client ${ms(median(b.times), 0)} ms (${(median(a.times) / median(b.times)).toFixed(2)}×; ${paired}; CLI floor ${ms(median(fl.times), 0)} ms; n = ${a.n}).`);
    out.push('', `Schematic phase over the CLI floor: ngx-auth-renew ${ms(fa, 0)} ms vs angular-auth-oidc-client ${ms(fb, 0)} ms (${(median(a.times) / median(b.times)).toFixed(2)}× in total wall time; ${paired}).`);
  }
  return out.join('\n');
}

/**
 * `a` minus `b` round by round (same round = same machine state): the median difference, and in how
 * many of the n rounds `a` took less time.
 */
function pairedByRound(a: number[], b: number[]): { median: number; faster: number; n: number } {
  const diffs = a.slice(0, b.length).map((t, k) => t - b[k]);
  return { median: median(diffs), faster: diffs.filter((d) => d < 0).length, n: diffs.length };
}

function pairedDiff(a: ProbeRow, b: ProbeRow): string {
  const d = pairedByRound(a.times, b.times);
  return `${d.median >= 0 ? '+' : ''}${ms(d.median, 1)} ms (paired median; faster in ${d.faster} of ${d.n} rounds)`;
}

function probeTable(rows: ProbeRow[]): string {
  const out: string[] = [];
  out.push('### Where the difference comes from', '');
  out.push('A probe package with one no-op schematic (it creates small files of about 4 kB and reads nothing), declared with');
  out.push("angular-auth-oidc-client's ng-add option schema, with ngx-auth-renew's, and with ngx-auth-renew's while creating as many");
  out.push('files as its `ng add` does; `ng generate <probe> --dry-run` with the same options as the `ng add` runs above, in the');
  out.push('ngx-auth-renew workspace, the three in an order that turns every round (bench/ng-add-probe.ts). The first two differ only by');
  out.push("what the CLI does with the option schema before and around the schematic (yargs options, ajv compilations, defaults); the");
  out.push('last two only by the number of files.', '');
  out.push('| probe | option schema | files | n | median ms | min ms | max ms |');
  out.push('|---|---|--:|--:|--:|--:|--:|');
  for (const r of rows) {
    out.push(`| \`${r.id}\` | ${r.schema} | ${r.files} | ${r.times.length} | ${ms(median(r.times), 0)} | ${ms(min(r.times), 0)} | ${ms(max(r.times), 0)} |${r.error ? ` ${r.error}` : ''}`);
  }
  const [peer, ours, many] = rows;
  if (peer?.times.length && ours?.times.length && many?.times.length) {
    const schema = `ngx-auth-renew's option schema over angular-auth-oidc-client's: ${pairedDiff(ours, peer)}`;
    const files = `${many.files} files over ${ours.files}: ${pairedDiff(many, ours)}`;
    out.push('', `- ${schema}.`, `- ${files}.`);
    glance.push(`ng add, where the difference comes from (same no-op schematic, dry-run): ${schema}; ${files}.`);
  }
  return out.join('\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
