// The e2e kit shared by e2e/run.ts and e2e/scenarios/*: ports and origins, the apps (one ng add
// configuration each, built once per run), checks, page-side accessors, sign-in, and withStack (a
// provider + static server + browser context per scenario).
import { appendFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { dirname, join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startProvider } from '../provider/provider.ts';
import type { LogEntry, ProviderOptions, RunningProvider, SameSite } from '../provider/provider.ts';
import { startStatic } from '../static-server.ts';
import type { StaticServer } from '../static-server.ts';
import { APP_NAME, WORK, childEnv, copyPage, describeWorkspace, makeApp, makeBase, packTarball, run } from '../make-app.ts';
import { makeReleaseApp } from '../../scripts/release-app.ts';
import { addPresetSwitch } from './presets-app.ts';

const argv = process.argv.slice(2);
export const opt = (k: string): string | undefined => { const i = argv.indexOf(k); return i >= 0 ? argv[i + 1] : undefined; };
export const FAKE = argv.includes('--fake'); // develop the kit against a hand-written page (e2e/.work/fake)

export const PROVIDER_PORT = Number(process.env.E2E_PROVIDER_PORT ?? 9100);
export const TLS_PORT = Number(process.env.E2E_TLS_PORT ?? 9543);
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 4300);
export const APP = `http://localhost:${APP_PORT}`;
export const LOCAL_ISSUER = `http://localhost:${PROVIDER_PORT}`;
export const CROSS_ISSUER = `https://idp.test:${TLS_PORT}`;
export const AT_TTL = 20;       // access token lifetime at the provider (s)
export const RENEW_BEFORE = 15; // --renew-before: a renewal every ~5 s
export const PERIOD = (AT_TTL - RENEW_BEFORE) * 1000;
export const TOLERANCE = 1000;         // first renewal within 1 s of expiresAt - renewBefore

// ---------------------------------------------------------------------------------------------
// Apps: one ng add configuration each, built once per run.
export interface AppConfig {
  authority: string;
  clientId: 'spa-code' | 'spa-implicit' | 'spa-dpop';
  flow: 'code' | 'implicit';
  renewal: 'refresh-token' | 'iframe';
  storage?: 'local';
  /** `ng build --base-href` (served under that path). */
  baseHref?: string;
  /** The interceptor wired as the README says, with these secureRoutes. */
  secureRoutes?: string[];
  /** `--dpop`: DPoP-bound tokens (RFC 9449). */
  dpop?: boolean;
  /**
   * Made by `ng add` of this earlier release (its committed tarball) and edited like a user does,
   * then upgraded to the package under test: `npm install` + `ng update --migrate-only` (buildUpgradedApp).
   */
  release?: '0.1.0';
  /** `--provider` (and `--audience`) of ng add. */
  provider?: string;
  audience?: string;
  /**
   * The auth.config.ts of these presets (name → ng add options, camelCase) added next to the one ng
   * add wrote, the app picking one at start-up from localStorage['e2e.preset'] (e2e/lib/presets-app.ts).
   */
  presets?: Record<string, Record<string, unknown>>;
  /** The router's blocking initial navigation (guards run before provideAuth's initializer has finished). */
  blockingNavigation?: boolean;
}

/** The API identifier the Auth0 preset asks access tokens for (quirks.audience). */
export const AUDIENCE = 'https://api.e2e.test';
const presetFlags = { authority: LOCAL_ISSUER, clientId: 'spa-code', renewBefore: RENEW_BEFORE };
export const APPS = {
  'code-refresh': { authority: LOCAL_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'refresh-token', secureRoutes: [`${LOCAL_ISSUER}/me`] },
  'code-iframe': { authority: LOCAL_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'iframe' },
  'implicit-iframe': { authority: LOCAL_ISSUER, clientId: 'spa-implicit', flow: 'implicit', renewal: 'iframe' },
  'x-code-iframe': { authority: CROSS_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'iframe' },
  'x-code-refresh': { authority: CROSS_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'refresh-token' },
  'code-refresh-dpop': { authority: LOCAL_ISSUER, clientId: 'spa-dpop', flow: 'code', renewal: 'refresh-token', dpop: true, secureRoutes: [`${LOCAL_ISSUER}/me`] },
  'code-refresh-local': { authority: LOCAL_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'refresh-token', storage: 'local' },
  'portal-code-iframe': { authority: LOCAL_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'iframe', baseHref: '/portal/' },
  'presets': { authority: LOCAL_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'refresh-token', provider: 'auth0', audience: AUDIENCE,
    presets: Object.fromEntries([
      ['auth0', { provider: 'auth0', audience: AUDIENCE }], ['entra', { provider: 'entra' }], ['cognito', { provider: 'cognito' }],
      ['keycloak', { provider: 'keycloak' }], ['okta', { provider: 'okta' }], ['generic', { provider: 'generic' }],
    ].map(([name, o]) => [name, { ...presetFlags, ...(o as object) }])) },
  'preset-google': { authority: LOCAL_ISSUER, clientId: 'spa-implicit', flow: 'implicit', renewal: 'iframe', provider: 'google' },
  'code-refresh-blocking': { authority: LOCAL_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'refresh-token', blockingNavigation: true },
  'upgraded-0.1.0': { authority: LOCAL_ISSUER, clientId: 'spa-code', flow: 'code', renewal: 'refresh-token', release: '0.1.0' },
} satisfies Record<string, AppConfig>;
export type AppId = keyof typeof APPS;

/** A built app (or, with --fake, the hand-written page): its workspace and what is served. */
export interface AppDist {
  dir: string;
  dist: string;
}

export function flagsOf(a: AppConfig): string[] {
  return ['--authority', a.authority, '--client-id', a.clientId, '--flow', a.flow, '--renewal', a.renewal,
    '--renew-before', String(RENEW_BEFORE), ...(a.storage ? ['--storage', a.storage] : []),
    ...(a.dpop ? ['--dpop'] : []), ...(a.provider ? ['--provider', a.provider] : []), ...(a.audience ? ['--audience', a.audience] : [])];
}

export let tarball: string | Promise<string> | undefined;
export let base: Promise<string> | undefined;
export const built = new Map<AppId, AppDist | Promise<AppDist>>();
export async function app(id: AppId): Promise<AppDist> {
  if (!built.has(id)) built.set(id, FAKE ? fakeApp(id) : buildApp(id));
  return built.get(id)!;
}
/** The package under test, packed once per run (or --tarball). */
export function packedTarball(): Promise<string> {
  tarball ??= opt('--tarball') ?? packTarball({ build: !argv.includes('--no-build') });
  return Promise.resolve(tarball);
}

/** The package tarball and the `ng new` base of this run (made once, shared by every app). */
export async function workspaceInputs(): Promise<{ tarball: string; base: string }> {
  const tb = await packedTarball();
  base ??= makeBase({ reuse: argv.includes('--reuse-base') || undefined });
  return { tarball: tb, base: await base };
}
export async function buildApp(id: AppId): Promise<AppDist> {
  const { tarball: tb, base: b } = await workspaceInputs();
  const a: AppConfig = APPS[id];
  if (a.release) return buildUpgradedApp(id, a.release, a, tb, b);
  const made = await makeApp({ id, tarball: tb, flags: flagsOf(a), base: b, baseHref: a.baseHref, secureRoutes: a.secureRoutes, build: !a.presets,
    blockingNavigation: a.blockingNavigation });
  if (a.presets) {
    presetDifferences.set(id, addPresetSwitch(made.dir, a.presets));
    const t = Date.now();
    await run('ng', ['build'], { cwd: made.dir, logFile: made.logFile });
    made.ms.build = Date.now() - t;
  }
  const ws = describeWorkspace(made.dir);
  say(`  built ${id}: copy ${made.ms.copy} ms, ng add ${made.ms.add} ms, ng build ${made.ms.build} ms; auth files: ${ws.authFiles.join(' ')}`);
  return made;
}
/** Per app with `presets`: per preset, the generated files (besides auth.config.ts) this build does not hold. */
export const presetDifferences = new Map<AppId, Record<string, string[]>>();
/** What `ng update` printed for an upgraded app (buildUpgradedApp), for its scenario to report. */
export const upgradeOutput = new Map<AppId, string>();

/**
 * An app made by an earlier release and upgraded: the base copied, `ng add` of the release's
 * tarball and the user's edits (scripts/release-app.ts, shared with test/integration/upgrade.spec.ts),
 * the e2e page copied in, the package under test installed over it, `ng update ngx-auth-renew
 * --migrate-only --from <release>` offline (NG_DISABLE_VERSION_CHECK: no registry look-up of
 * @angular/cli), `ng build`. Throws (the scenario fails) when any step fails.
 */
async function buildUpgradedApp(id: AppId, release: string, a: AppConfig, tb: string, b: string): Promise<AppDist> {
  const dir = join(WORK, 'apps', id);
  const logFile = join(WORK, 'apps', `${id}.log`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(logFile, { force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(b, dir, { recursive: true, verbatimSymlinks: true });
  const made = await makeReleaseApp(dir, release, flagsOf(a));
  appendFileSync(logFile, `$ ng add <${release} tarball> ${flagsOf(a).join(' ')}\n${made.out}\n`);
  copyPage(dir);
  let t = Date.now();
  await run('npm', ['install', '--save-dev', tb], { cwd: dir, logFile });
  const installMs = Date.now() - t;
  t = Date.now();
  const update = await run('ng', ['update', 'ngx-auth-renew', '--migrate-only', '--from', release],
    { cwd: dir, logFile, env: childEnv({ NG_DISABLE_VERSION_CHECK: '1' }) });
  upgradeOutput.set(id, update.out);
  const updateMs = Date.now() - t;
  t = Date.now();
  await run('ng', ['build'], { cwd: dir, logFile });
  say(`  built ${id}: ng add ${release} ${made.ms} ms, npm install ${installMs} ms, ng update ${updateMs} ms, ng build ${Date.now() - t} ms`);
  return { dir, dist: join(dir, 'dist', APP_NAME, 'browser') };
}

export function fakeApp(id: AppId): AppDist {
  const a = APPS[id];
  const dist = join(WORK, 'fake-apps', id);
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });
  cpSync(join(WORK, 'fake'), dist, { recursive: true });
  const scope = a.renewal === 'refresh-token' ? 'openid profile email offline_access' : 'openid profile email';
  writeFileSync(join(dist, 'config.js'), `window.FAKE_CONFIG=${JSON.stringify({ ...a, scope, renewBeforeSeconds: RENEW_BEFORE })};`);
  return { dist, dir: dist };
}

// ---------------------------------------------------------------------------------------------
// Small helpers.
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const say = (s: string) => console.log(s);
export const fmt = (xs: (number | string)[]) => xs.map((x) => (typeof x === 'number' ? Math.round(x) : x)).join(', ');
export const stats = (xs: number[]) => (xs.length ? `min ${Math.round(Math.min(...xs))} / median ${Math.round(median(xs))} / max ${Math.round(Math.max(...xs))}` : 'n/a');
export function median(xs: number[]): number { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; }

export class Fatal extends Error {}

export interface Check {
  ok: boolean;
  label: string;
  detail: string | null;
}

/** Per renewal: offset of its first request from the target (ms), requests, latency (ms). */
export interface RenewalFigures {
  offsets: number[];
  latencies: number[];
  requests: number[];
}

export interface CrossSiteFigures {
  iframeFailure?: { event: string; error: string | null; silentRequests: number; offset: number | null };
  refresh?: RenewalFigures;
}

/** Two tabs on one session: refresh requests per period, ms for the other tab to follow. */
export interface TwoTabFigures {
  requests: number[];
  follow: number[];
  byHandFollow: number | null;
  logoutFollow: number | null;
}

export class Checks {
  list: Check[];
  figures: object;
  constructor() { this.list = []; this.figures = {}; }
  ok(cond: unknown, label: string, detail: string | null = '') {
    this.list.push({ ok: Boolean(cond), label, detail });
    say(`    ${cond ? 'ok ' : 'NOT'} ${label}${detail ? ` — ${detail}` : ''}`);
    return Boolean(cond);
  }
  must(cond: unknown, label: string, detail?: string) {
    if (!this.ok(cond, label, detail)) throw new Fatal(label);
  }
  get passed() { return this.list.length > 0 && this.list.every((c) => c.ok); }
}

/** POST a form to the provider from node (idp.test resolved to 127.0.0.1, self-signed cert accepted). */
export function postForm(url: string, form: Record<string, string>): Promise<{ status: number | undefined; json: unknown }> {
  const u = new URL(url);
  const body = new URLSearchParams(form).toString();
  const req = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((ok, ko) => {
    const r = req({
      host: '127.0.0.1', port: u.port, path: u.pathname, method: 'POST', servername: u.hostname,
      rejectUnauthorized: false,
      headers: { host: u.host, 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => { let json: unknown; try { json = JSON.parse(data); } catch { json = data; } ok({ status: res.statusCode, json }); });
    });
    r.on('error', ko);
    r.end(body);
  });
}

// Page-side accessors (the e2e page puts auth, authConfig and authEvents on window; e2e/page.d.ts).
export interface PageState {
  now: number;
  isAuthenticated: boolean;
  accessToken: string | null;
  idToken: string | null;
  expiresAt: number | null;
  renewBefore: number;
  config: Record<string, unknown>;
  events: { t: number; type: string; error: string | null }[];
  href: string;
}

export const readState = (page: Page): Promise<PageState> => page.evaluate(() => ({
  now: Date.now(),
  isAuthenticated: window.auth.isAuthenticated(),
  accessToken: window.auth.accessToken(),
  idToken: window.auth.idToken(),
  expiresAt: window.auth.expiresAt(),
  renewBefore: Number(window.authConfig?.renewBeforeSeconds),
  config: JSON.parse(JSON.stringify(window.authConfig ?? {})),
  events: (window.authEvents ?? []).map((e) => ({ t: e.t, type: e.type, error: e.error ?? null })),
  href: location.href,
}));

export async function waitForApp(page: Page, timeout = 20000): Promise<void> {
  await page.waitForFunction(() => Boolean(window.auth && window.authEvents), null, { timeout });
}

export const isRenewalRequest = (e: LogEntry) => (e.path === '/token' && e.method === 'POST') || (e.path === '/auth' && e.prompt === 'none');
export const isInteractiveAuth = (e: LogEntry) => e.path === '/auth' && e.prompt !== 'none';

/** What a page reported: CSP violations, console errors and page errors, dialogs. */
export interface Sink {
  csp: string[];
  errors: string[];
  dialogs: string[];
}

export type Mode = 'refresh' | 'iframe-code' | 'iframe-implicit';

export function watchPage(page: Page, sink: Sink): void {
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to/i.test(text)) sink.csp.push(text);
    if (m.type() === 'error') sink.errors.push(text);
  });
  page.on('pageerror', (e) => sink.errors.push(String(e)));
  page.on('dialog', (d) => { sink.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
}

/** Login through the provider's automatic interaction; returns the state right after sign-in. */
export async function signIn(page: Page, c: Checks, provider: RunningProvider, origin: string, sink: Pick<Sink, 'errors'> = { errors: [] },
  { quiet = false }: { quiet?: boolean } = {}): Promise<{ s: PageState; authReq: LogEntry[]; codeToken: LogEntry[]; log: LogEntry[] }> {
  await page.goto(`${origin}/`);
  await waitForApp(page);
  const t0 = Date.now();
  const before = await readState(page);
  if (!quiet || before.isAuthenticated) c.must(!before.isAuthenticated, 'starts signed out');
  await page.evaluate(() => { void window.auth.login(); });
  try {
    await page.waitForFunction(() => Boolean(window.auth?.isAuthenticated()), null, { timeout: 30000 });
  } catch {
    const trail = provider.since(t0).map((e) => `${e.method ?? ''} ${e.path ?? e.event} ${e.status ?? ''}${e.error ? ` ${e.error}: ${e.error_description ?? ''}` : ''}`);
    const st = await page.evaluate(() => ({ href: location.href, events: window.authEvents ?? null })).catch((e) => String(e));
    c.must(false, 'sign-in completes', `\n      provider: ${trail.join('\n                ')}\n      page: ${JSON.stringify(st)}\n      console errors: ${sink.errors.slice(-5).join(' | ')}`);
  }
  const s = await readState(page);
  const log = provider.since(t0);
  const authReq = log.filter(isInteractiveAuth);
  const codeToken = log.filter((e) => e.path === '/token' && e.grant_type === 'authorization_code');
  if (!quiet || !(s.accessToken && s.expiresAt)) c.must(s.accessToken && s.expiresAt, 'signed in with an access token and expiresAt', `login took ${s.now - t0} ms`);
  if (quiet) return { s, authReq, codeToken, log };
  c.ok(!/[?&](code|state)=|#.*access_token/.test(s.href), 'callback parameters removed from the address bar', s.href);
  const expiresAt = Number(s.expiresAt); // not null: checked above
  c.ok(Math.abs(expiresAt - (Date.now() + AT_TTL * 1000)) < 3000, 'expiresAt = receipt + expires_in', `${Math.round((expiresAt - Date.now()) / 1000)} s ahead`);
  c.ok(s.renewBefore === RENEW_BEFORE, `authConfig.renewBeforeSeconds = ${RENEW_BEFORE}`, String(s.renewBefore));
  return { s, authReq, codeToken, log };
}

// ---------------------------------------------------------------------------------------------
// Scenarios.
export interface StackOptions {
  appId: AppId;
  csp?: boolean;
  /** The provider at https://idp.test (another site than the app). */
  cross?: boolean;
  sameSite?: SameSite;
  /** Provider options over the defaults (e.g. idTokenTtl). */
  provider?: Partial<ProviderOptions>;
}

/** An AuthEvent a page handed to the `e2eEvent` binding (kept across navigations), and its page. */
export interface SeenEvent {
  t: number;
  type: string;
  error: string | null;
  token: string | null;
  page: Page | undefined;
}

export interface Stack {
  provider: RunningProvider;
  server: StaticServer;
  context: BrowserContext;
  page: Page;
  sink: Sink;
  made: AppDist;
  /** Every page's AuthEvents in the order reported (see SeenEvent). */
  events: SeenEvent[];
}

export async function withStack<T>({ appId, csp = false, cross = false, sameSite, provider: providerOptions }: StackOptions, fn: (stack: Stack) => Promise<T>): Promise<T> {
  const made = await app(appId);
  const provider = await startProvider({
    port: cross ? TLS_PORT : PROVIDER_PORT,
    issuer: cross ? CROSS_ISSUER : LOCAL_ISSUER,
    https: cross,
    sameSite: sameSite ?? (cross ? 'none' : 'lax'),
    apps: [APP],
    accessTokenTtl: AT_TTL,
    quiet: true,
    ...providerOptions,
  });
  const base: string | undefined = (APPS[appId] as AppConfig).baseHref;
  const server = await startStatic({ root: made.dist, port: APP_PORT, csp, providers: [provider.issuer], base });
    if (!browser) throw new Error('withStack: setBrowser() first');
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 900, height: 640 } });
  const events: SeenEvent[] = [];
  await context.exposeBinding('e2eEvent', (source, e: Omit<SeenEvent, 'page'>) => { events.push({ ...e, page: source.page }); });
  const page = await context.newPage();
  const sink: Sink = { csp: [], errors: [], dialogs: [] };
  watchPage(page, sink);
  try {
    return await fn({ provider, server, context, page, sink, made, events });
  } finally {
    // Provider first, its faults cleared. context.close() has been seen to wait 28 s to minutes
    // after a logout with a hung revocation: bounded, so one scenario cannot stall the run.
    provider.clearFaults();
    await provider.close();
    await server.close();
    const closed = await Promise.race([context.close().then(() => true, () => true), sleep(5000).then(() => false)]);
    if (!closed) say('  (browser context still closing after 5 s; going on)');
  }
}

let browser: Browser | undefined;
/** The one chromium every scenario's context is made in (launched by run.ts). */
export function setBrowser(b: Browser | undefined): void { browser = b; }
/** That chromium, for a scenario that makes its own contexts (throws before setBrowser). */
export function currentBrowser(): Browser {
  if (!browser) throw new Error('setBrowser() first');
  return browser;
}
