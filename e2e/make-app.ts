// Makes an Angular workspace the way a user does: `ng new`, `ng add <tarball> ...flags`, the e2e page
// copied in, `ng build`.
//
//   node e2e/make-app.ts --id code-refresh [--tarball x.tgz] -- --authority http://localhost:9000 \
//        --client-id spa-code --flow code --renewal refresh-token --renew-before 15
//
// One `ng new` (with its npm install) is made per run under e2e/.work/base and copied per app
// (E2E_REUSE_BASE=1 keeps a base from an earlier run). Everything lands under e2e/.work/, git-ignored.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const E2E = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(E2E, '..');
export const WORK = join(E2E, '.work');
export const APP_NAME = 'e2e-app';
const BIN = join(ROOT, 'node_modules', '.bin');

/** The environment every child gets: node 24 + ng from the package's devDependencies, no analytics. */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH}`,
    NG_CLI_ANALYTICS: 'false',
    NG_FORCE_TTY: 'false',
    CI: process.env.CI ?? 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

export interface RunOptions {
  cwd?: string;
  logFile?: string;
  env?: NodeJS.ProcessEnv;
}

export interface Ran {
  out: string;
  ms: number;
}

/** Runs a command, output into logFile (and echoed if E2E_VERBOSE), rejects with its tail on failure. */
export function run(cmd: string, args: string[], { cwd, logFile, env }: RunOptions = {}): Promise<Ran> {
  return new Promise((ok, ko) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env: env ?? childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (d: Buffer) => {
      out += d;
      if (process.env.E2E_VERBOSE) process.stderr.write(d);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', ko);
    child.on('close', (code) => {
      if (logFile) {
        mkdirSync(dirname(logFile), { recursive: true });
        writeFileSync(logFile, `$ ${cmd} ${args.join(' ')}\n(cwd ${cwd})\n${out}\nexit ${code} after ${Date.now() - started} ms\n`, { flag: 'a' });
      }
      if (code === 0) ok({ out, ms: Date.now() - started });
      else {
        const err = Object.assign(new Error(`${cmd} ${args.join(' ')} exited ${code}${logFile ? ` (log: ${logFile})` : ''}\n${tail(out, 40)}`), { output: out });
        ko(err);
      }
    });
  });
}

export function tail(s: string, n: number): string {
  return s.replace(/\x1b\[[0-9;]*m/g, '').trimEnd().split('\n').slice(-n).join('\n');
}

/** `npm run build` + `npm pack` of the package under test; returns the tarball path. */
export async function packTarball({ build = true }: { build?: boolean } = {}): Promise<string> {
  mkdirSync(WORK, { recursive: true });
  const logFile = join(WORK, 'pack.log');
  rmSync(logFile, { force: true });
  if (build) await run('npm', ['run', 'build'], { cwd: ROOT, logFile });
  const { out } = await run('npm', ['pack', '--json', '--pack-destination', WORK], { cwd: ROOT, logFile });
  const json: { filename: string }[] = JSON.parse(out.slice(out.indexOf('[')));
  return join(WORK, json[0].filename);
}

/**
 * One `ng new` (with its npm install) per run (or reused with reuse=true). With `ssr`, an app with
 * @angular/ssr (`ng new --ssr`, in e2e/.work/base-ssr), its @angular packages pinned to one
 * version that the registry has for all of them (it can lag: @angular/ssr and
 * @angular/platform-server may miss the newest patch of the others).
 */
export async function makeBase({ reuse = process.env.E2E_REUSE_BASE === '1', ssr = false }: { reuse?: boolean; ssr?: boolean } = {}): Promise<string> {
  const folder = join(WORK, ssr ? 'base-ssr' : 'base');
  const dir = join(folder, APP_NAME);
  if (reuse && existsSync(join(dir, 'node_modules', '@angular', 'core', 'package.json'))) return dir;
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  const logFile = join(WORK, ssr ? 'base-ssr.log' : 'base.log');
  if (!ssr) {
    await run('ng', ['new', APP_NAME, '--defaults', '--skip-git'], { cwd: folder, logFile });
    return dir;
  }
  await run('ng', ['new', APP_NAME, '--defaults', '--skip-git', '--ssr', '--skip-install'], { cwd: folder, logFile });
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const major = /\d+/.exec(manifest.dependencies['@angular/ssr'])![0];
  // The newest version that every @angular package of the app has in the registry (it can lag or
  // miss versions for some of them; `npm view` does not list them in order).
  const names = [manifest.dependencies, manifest.devDependencies].flatMap((section) => Object.keys(section))
    .filter((name) => name.startsWith('@angular/'));
  let common: string[] | undefined;
  for (const name of names) {
    const { out } = await run('npm', ['view', `${name}@${major}`, 'version', '--json'], { cwd: folder, logFile });
    const versions = ([JSON.parse(out.slice(out.search(/[["]/)))].flat() as string[]).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
    common = common ? common.filter((v) => versions.includes(v)) : versions;
  }
  const newest = (a: string, b: string) => {
    const [pa, pb] = [a, b].map((v) => v.split('.').map(Number));
    return pb[0] - pa[0] || pb[1] - pa[1] || pb[2] - pa[2];
  };
  const pinned = [...(common ?? [])].sort(newest)[0];
  if (!pinned) throw new Error(`no ${major}.x version that the registry has for all of ${names.join(', ')}`);
  for (const section of [manifest.dependencies, manifest.devDependencies]) {
    for (const name of Object.keys(section)) if (name.startsWith('@angular/')) section[name] = pinned;
  }
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  await run('npm', ['install'], { cwd: dir, logFile });
  return dir;
}

export interface MakeAppOptions {
  id: string;
  tarball: string;
  /** `ng add` flags after the tarball. */
  flags: string[];
  /** The `ng new` workspace to copy (makeBase). */
  base: string;
  page?: boolean;
  build?: boolean;
  /** `ng build --base-href <baseHref>` (an app served under a sub-path). */
  baseHref?: string;
  /** Wire the interceptor the way the README says, with these secureRoutes (wireInterceptor). */
  secureRoutes?: string[];
  /** `provideRouter(routes, withEnabledBlockingInitialNavigation())`: guards run before app initializers finish. */
  blockingNavigation?: boolean;
}

export interface MadeApp {
  dir: string;
  dist: string;
  /** ms per step; `build` only when built. */
  ms: { copy?: number; add?: number; build?: number };
  logFile: string;
}

/** A workspace made from the base with `ng add <tarball> <flags>`, the e2e page copied in, built. */
export async function makeApp({ id, tarball, flags, base, page = true, build = true, baseHref, secureRoutes, blockingNavigation }: MakeAppOptions): Promise<MadeApp> {
  const dir = join(WORK, 'apps', id);
  const logFile = join(WORK, 'apps', `${id}.log`);
  rmSync(dir, { recursive: true, force: true });
  rmSync(logFile, { force: true });
  mkdirSync(dirname(dir), { recursive: true });
  const ms: MadeApp['ms'] = {};
  let t = Date.now();
  cpSync(base, dir, { recursive: true, verbatimSymlinks: true });
  ms.copy = Date.now() - t;

  t = Date.now();
  await run('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...flags], { cwd: dir, logFile });
  ms.add = Date.now() - t;

  if (page) copyPage(dir);
  if (secureRoutes) wireInterceptor(dir, secureRoutes);
  if (blockingNavigation) {
    editAppFile(dir, 'app.config.ts', /import \{ provideRouter \} from '@angular\/router';/,
      "import { provideRouter, withEnabledBlockingInitialNavigation } from '@angular/router';");
    editAppFile(dir, 'app.config.ts', /provideRouter\(routes\)/, 'provideRouter(routes, withEnabledBlockingInitialNavigation())');
  }
  if (build) {
    t = Date.now();
    await run('ng', ['build', ...(baseHref ? ['--base-href', baseHref] : [])], { cwd: dir, logFile });
    ms.build = Date.now() - t;
  }
  return { dir, dist: join(dir, 'dist', APP_NAME, 'browser'), ms, logFile };
}

/**
 * The e2e/demo page replaces the CLI's placeholder App component and routes, and its event recorder
 * (e2e/app/e2e-events.ts) joins the root providers; generated auth files stay untouched.
 */
export function copyPage(dir: string): void {
  const app = join(dir, 'src', 'app');
  for (const f of readdirSync(join(E2E, 'app'))) cpSync(join(E2E, 'app', f), join(app, f));
  rmSync(join(app, 'app.spec.ts'), { force: true });
  editAppFile(dir, 'app.config.ts', /\n(export const appConfig)/, "\nimport { provideE2eEvents } from './e2e-events';\n\n$1");
  editAppFile(dir, 'app.config.ts', /providers: \[/, 'providers: [\n    provideE2eEvents(),');
}

/** Replaces `from` (which must be there) in a file of src/app. */
function editAppFile(dir: string, file: string, from: RegExp, to: string): void {
  const path = join(dir, 'src', 'app', file);
  const text = readFileSync(path, 'utf8');
  if (!from.test(text)) throw new Error(`${path}: no ${from} to edit`);
  writeFileSync(path, text.replace(from, to));
}

/**
 * What a user does after `ng add` to call an API with the token (README): the interceptor in
 * app.config.ts (`provideHttpClient(withInterceptors([authInterceptor]))`) and the API in
 * auth.config.ts `secureRoutes`. Throws when either file does not have the shape ng new / ng add made.
 */
export function wireInterceptor(dir: string, secureRoutes: string[]): void {
  const edit = (file: string, from: RegExp, to: string) => editAppFile(dir, file, from, to);
  edit('app.config.ts', /\n(export const appConfig)/,
    "\nimport { provideHttpClient, withInterceptors } from '@angular/common/http';\nimport { authInterceptor } from './auth/auth.interceptor';\n\n$1");
  edit('app.config.ts', /providers: \[/, 'providers: [\n    provideHttpClient(withInterceptors([authInterceptor])),');
  edit('auth/auth.config.ts', /secureRoutes: \[\]/, `secureRoutes: ${JSON.stringify(secureRoutes)}`);
}

/** Quick look at what ng add changed, for the report. */
export interface WorkspaceSummary {
  dependencies: Record<string, string> | undefined;
  devDependencies: Record<string, string> | undefined;
  authFiles: string[];
  silentRenew: boolean;
}

export function describeWorkspace(dir: string): WorkspaceSummary {
  const pkg: { dependencies?: Record<string, string>; devDependencies?: Record<string, string> } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const authDir = join(dir, 'src', 'app', 'auth');
  return {
    dependencies: pkg.dependencies,
    devDependencies: pkg.devDependencies,
    authFiles: existsSync(authDir) ? readdirSync(authDir) : [],
    silentRenew: existsSync(join(dir, 'src', 'silent-renew.html')) || existsSync(join(dir, 'public', 'silent-renew.html')),
  };
}

export function distSize(dist: string): number {
  let bytes = 0;
  for (const f of readdirSync(dist)) {
    const st = statSync(join(dist, f));
    if (st.isFile() && f.endsWith('.js')) bytes += st.size;
  }
  return bytes;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const dd = argv.indexOf('--');
  const own = dd >= 0 ? argv.slice(0, dd) : argv;
  const flags = dd >= 0 ? argv.slice(dd + 1) : ['--authority', 'http://localhost:9000', '--client-id', 'spa-code'];
  const get = (k: string): string | undefined => { const i = own.indexOf(k); return i >= 0 ? own[i + 1] : undefined; };
  const tarballArg = get('--tarball');
  const tarball = tarballArg ? resolve(tarballArg) : await packTarball();
  const base = await makeBase({ reuse: own.includes('--reuse-base') || undefined });
  const app = await makeApp({ id: get('--id') ?? 'manual', tarball, flags, base });
  console.log(JSON.stringify({ ...app, workspace: describeWorkspace(app.dir) }, null, 2));
}
