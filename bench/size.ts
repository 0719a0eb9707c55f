// Part 1: initial bundle size per contender (fresh copy of one `ng new`, production `ng build`).
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync, constants as zlib } from 'node:zlib';
import { CONTENDERS } from './contenders.ts';
import type { Contender } from './contenders.ts';
import { APP_NAME, BENCH, WORK, buildAndMeasure, initialSize, copyBase, copyContender, installedVersion, npmInstall, sh } from './lib/workspace.ts';
import type { Size } from './lib/workspace.ts';
import { median } from './lib/stats.ts';
import { bytesPerSource } from './lib/sourcemap.ts';

export interface SizeResult {
  id: string;
  label: string;
  version: string;
  notes: string[];
  n: number;
  raw: number;
  gzip: number;
  jsRaw: number;
  jsGzip: number;
  cssRaw: number;
  files: string[];
  /** Every build gave the same bytes. */
  stable: boolean;
  buildMs: number;
  ngInitialRaw: number | null;
  /** Bytes of JS that are not initial (lazy chunks), for information. */
  lazyRaw: number;
  lazyGzip: number;
  /** Emitted bytes per module group (source maps), initial files and lazy chunks apart. */
  groups: { initial: Record<string, number>; lazy: Record<string, number> };
  dir: string;
  dist: string;
  /** Smoke check of the build in Chromium (run.ts). */
  smoke?: string;
  error?: string;
}

/** Sets up a contender's workspace (copy, install or ng add, root component). */
export async function prepare(c: Contender, base: string, tarball: string, log: (s: string) => void): Promise<{ dir: string; version: string; notes: string[] }> {
  const dir = copyBase(base, 'apps', c.id);
  const logFile = join(WORK, 'logs', `${c.id}.log`);
  const notes: string[] = [];
  if (c.install) {
    try {
      const r = await npmInstall(dir, c.install, logFile);
      if (r.legacyPeerDeps) notes.push('installed with --legacy-peer-deps (peer range lags Angular 22)');
    } catch (e) {
      if (!c.installFallback || !/ETARGET|notarget/i.test(String((e as Error).message))) throw e;
      const r = await npmInstall(dir, c.installFallback.packages, logFile);
      notes.push(c.installFallback.note);
      if (r.legacyPeerDeps) notes.push('installed with --legacy-peer-deps (peer range lags Angular 22)');
    }
  }
  if (c.ngAdd) {
    await sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...c.ngAdd], dir, logFile);
  }
  copyContender(dir, c.files);
  let version = '';
  if (c.pkg) version = `${c.pkg}@${installedVersion(dir, c.pkg)}`;
  if (c.ngAdd) version = `ngx-auth-renew@${JSON.parse(readFileSync(join(dir, 'node_modules', 'ngx-auth-renew', 'package.json'), 'utf8')).version} + ${version}`;
  if (c.id === 'auth0-angular') version += ` + @auth0/auth0-spa-js@${installedVersion(dir, '@auth0/auth0-spa-js')}`;
  if (!c.pkg && !c.ngAdd) version = `@angular/core@${installedVersion(dir, '@angular/core')}`;
  log(`  ${c.id}: ready (${version})`);
  return { dir, version, notes };
}

export async function sizeBench(opts: { base: string; tarball: string; builds: number; only?: string[]; log: (s: string) => void }): Promise<SizeResult[]> {
  const out: SizeResult[] = [];
  for (const c of CONTENDERS) {
    if (opts.only && !opts.only.includes(c.id)) continue;
    const logFile = join(WORK, 'logs', `${c.id}.log`);
    try {
      const { dir, version, notes } = await prepare(c, opts.base, opts.tarball, opts.log);
      const runs: (Size & { ms: number })[] = [];
      for (let i = 0; i < opts.builds; i++) {
        runs.push(await buildAndMeasure(dir, logFile));
        opts.log(`  ${c.id}: build ${i + 1}/${opts.builds} ${runs.at(-1)!.raw} B raw, ${runs.at(-1)!.gzip} B gzip, ${runs.at(-1)!.ms} ms`);
      }
      const dist = join(dir, 'dist', APP_NAME, 'browser');
      const last = runs.at(-1)!;
      const lazy = lazyBytes(dist, last.files);
      out.push({
        id: c.id,
        label: c.label,
        version,
        notes,
        n: runs.length,
        raw: median(runs.map((r) => r.raw)),
        gzip: median(runs.map((r) => r.gzip)),
        jsRaw: median(runs.map((r) => r.jsRaw)),
        jsGzip: median(runs.map((r) => r.jsGzip)),
        cssRaw: median(runs.map((r) => r.cssRaw)),
        files: last.files,
        stable: runs.every((r) => r.raw === runs[0].raw && r.gzip === runs[0].gzip),
        buildMs: median(runs.map((r) => r.ms)),
        ngInitialRaw: last.ngInitialRaw,
        lazyRaw: lazy.raw,
        lazyGzip: lazy.gzip,
        groups: await sourceGroups(dir, logFile, last.files),
        dir,
        dist,
      });
    } catch (e) {
      const msg = String((e as Error).message).split('\n').slice(0, 6).join(' | ');
      opts.log(`  ${c.id}: FAILED ${msg}`);
      out.push({ id: c.id, label: c.label, version: '', notes: [], n: 0, raw: NaN, gzip: NaN, jsRaw: NaN, jsGzip: NaN, cssRaw: NaN, files: [], stable: false, buildMs: NaN, ngInitialRaw: null, lazyRaw: 0, lazyGzip: 0, groups: { initial: {}, lazy: {} }, dir: '', dist: '', error: msg });
    }
  }
  return out;
}

function lazyBytes(dist: string, initial: string[]): { raw: number; gzip: number } {
  const n = { raw: 0, gzip: 0 };
  for (const f of readdirSync(dist)) {
    if (!f.endsWith('.js') || initial.includes(f)) continue;
    const buf = readFileSync(join(dist, f));
    n.raw += buf.length;
    n.gzip += gzipSync(buf, { level: zlib.Z_BEST_COMPRESSION }).length;
  }
  return n;
}

/** Names the generated code imports from oauth4webapi (spec files excluded). */
export async function oauth4webapiImports(dir: string): Promise<string[]> {
  const authDir = join(dir, 'src', 'app', 'auth');
  if (!existsSync(authDir)) return [];
  const names = new Set<string>();
  for (const f of readdirSync(authDir)) {
    if (!f.endsWith('.ts') || f.endsWith('.spec.ts')) continue;
    const src = readFileSync(join(authDir, f), 'utf8');
    for (const m of src.matchAll(/import\s*(type\s*)?\{([^}]*)\}\s*from\s*'oauth4webapi'/g)) {
      if (m[1]) continue;
      for (const n of m[2].split(',')) {
        const name = n.trim().replace(/^type\s+/, '');
        if (name && !/^type\s/.test(n.trim())) names.add(name.split(/\s+as\s+/)[0]);
      }
    }
    if (/import\s*\*\s*as\s*\w+\s*from\s*'oauth4webapi'/.test(src)) names.add('* (namespace import)');
  }
  // Type-only names (imported without `type`) are not exports of the module at run time.
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'oauth4webapi', 'package.json'), 'utf8'));
    const entry = join(dir, 'node_modules', 'oauth4webapi', typeof pkg.exports?.['.'] === 'object' ? (pkg.exports['.'].default ?? pkg.exports['.'].import ?? pkg.module) : (pkg.module ?? pkg.main));
    const mod = await import(entry);
    for (const n of [...names]) if (!(n in mod) && !n.startsWith('*')) names.delete(n);
  } catch { /* keep them all */ }
  return [...names].sort();
}

/**
 * What the used part of oauth4webapi weighs on its own: esbuild (the CLI's bundler, from the
 * workspace) bundles `export { <names> } from 'oauth4webapi'` minified; then once per name without
 * that name, the drop being what that function alone keeps in the bundle (helpers shared by several
 * functions are counted under none of them).
 */
export async function oauth4webapiCost(dir: string, names: string[]): Promise<{ raw: number; gzip: number; each: { name: string; raw: number; gzip: number }[] } | null> {
  const values = names.filter((n) => !n.startsWith('*'));
  if (!values.length) return null;
  let esbuild: any;
  try {
    esbuild = await import(join(dir, 'node_modules', 'esbuild', 'lib', 'main.js'));
    esbuild = esbuild.build ? esbuild : esbuild.default;
  } catch {
    return null;
  }
  const bundle = async (list: string[]) => {
    const r = await esbuild.build({
      stdin: { contents: `export { ${list.join(', ')} } from 'oauth4webapi';`, resolveDir: dir, loader: 'js' },
      bundle: true, minify: true, write: false, format: 'esm', platform: 'browser', target: 'es2022', logLevel: 'silent',
    });
    const buf = Buffer.from(r.outputFiles[0].contents);
    return { raw: buf.length, gzip: gzipSync(buf, { level: zlib.Z_BEST_COMPRESSION }).length };
  };
  const all = await bundle(values);
  const each: { name: string; raw: number; gzip: number }[] = [];
  for (const n of values) {
    const without = values.length > 1 ? await bundle(values.filter((x) => x !== n)) : { raw: 0, gzip: 0 };
    each.push({ name: n, raw: all.raw - without.raw, gzip: all.gzip - without.gzip });
  }
  each.sort((a, b) => b.raw - a.raw);
  return { ...all, each };
}

/**
 * Bytes per module group of the emitted JS, initial files and lazy chunks apart, from the source maps
 * of one more production build with --source-map (the metafile of --stats-json predates the CLI's
 * chunk optimisation, so it does not add up once there are lazy chunks).
 */
export async function sourceGroups(dir: string, logFile: string, initial: string[]): Promise<{ initial: Record<string, number>; lazy: Record<string, number> }> {
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  await sh('ng', ['build', '--configuration', 'production', '--source-map'], dir, logFile);
  const dist = join(dir, 'dist', APP_NAME, 'browser');
  // The source-map comment changes the content hashes: the initial files of this build, from its index.html.
  initial = initialSize(dist).files;
  const out = { initial: {} as Record<string, number>, lazy: {} as Record<string, number> };
  for (const f of readdirSync(dist)) {
    if (!f.endsWith('.js') || !existsSync(join(dist, `${f}.map`))) continue;
    const into = initial.includes(f) ? out.initial : out.lazy;
    for (const [src, n] of Object.entries(bytesPerSource(join(dist, f), join(dist, `${f}.map`)))) {
      const g = groupOf(src);
      into[g] = (into[g] ?? 0) + n;
    }
  }
  return out;
}

export function groupOf(input: string): string {
  if (input === '(unmapped)') return input;
  const p = input.replace(/^[a-z-]+:(\/\/)?/, '').replace(/^(\.\.?\/)+/, '');
  // Angular's own packages ship source maps into their Bazel tree (…/bin/packages/core/…).
  const ng = /(?:^|\/)bin\/packages\/([^/]+)\//.exec(p);
  if (ng && !p.includes('node_modules/')) return `@angular/${ng[1].replace(/_/g, '-')}`;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(p);
  if (nm) {
    const pkg = nm[1];
    // @angular/common/http etc. are worth telling apart from their package.
    const sub = /^@angular\/(common|core)\/fesm2022\/(http|primitives|rxjs-interop)[^/]*\.mjs$/.exec(`${pkg}${nm[2] ?? ''}`);
    if (pkg === '@angular/common' && /fesm2022\/(http|_module-chunk|_xhr-chunk)/.test(nm[2] ?? '')) return '@angular/common/http';
    if (sub) return `${pkg}/${sub[2]}`;
    return pkg;
  }
  const auth = /src\/app\/auth\/([^/]+)$/.exec(p);
  if (auth) return `src/app/auth/${auth[1]}`;
  if (/src\/app\/auth\.ts$/.test(p)) return 'src/app/auth.ts';
  if (/^src\//.test(p)) return 'src (app)';
  return p.startsWith('<') || p === '' ? '(runtime)' : p;
}

export { BENCH };
