// Workspaces for the benchmarks: one `ng new` base under bench/.work/base, copied per contender (the
// way e2e/make-app.ts does it, but under bench/.work/), production builds, initial-bundle sizes.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zlib } from 'node:zlib';
import { run } from '../../e2e/make-app.ts';

export const BENCH = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(BENCH, '..');
export const WORK = join(BENCH, '.work');
export const APP_NAME = 'bench-app';

export interface Ran {
  out: string;
  ms: number;
}

export function sh(cmd: string, args: string[], cwd: string, logFile: string): Promise<Ran> {
  return run(cmd, args, { cwd, logFile }) as Promise<Ran>;
}

/** One `ng new` (with its npm install), reused when `reuse` and it looks complete. */
export async function makeBase(reuse: boolean): Promise<string> {
  const dir = join(WORK, 'base', APP_NAME);
  if (reuse && existsSync(join(dir, 'node_modules', '@angular', 'core', 'package.json'))) return dir;
  rmSync(join(WORK, 'base'), { recursive: true, force: true });
  mkdirSync(join(WORK, 'base'), { recursive: true });
  await sh('ng', ['new', APP_NAME, '--defaults', '--skip-git'], join(WORK, 'base'), join(WORK, 'logs', 'base.log'));
  return dir;
}

/** A fresh copy of the base workspace under bench/.work/<group>/<id>. */
export function copyBase(base: string, group: string, id: string): string {
  const dir = join(WORK, group, id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(base, dir, { recursive: true, verbatimSymlinks: true });
  rmSync(join(dir, '.angular'), { recursive: true, force: true });
  return dir;
}

/**
 * `npm install <pkgs>`; when npm refuses the peer ranges (ERESOLVE) it is retried with
 * --legacy-peer-deps, and that is returned so the report can say so.
 */
export async function npmInstall(dir: string, pkgs: string[], logFile: string): Promise<{ legacyPeerDeps: boolean }> {
  const args = ['install', '--no-audit', '--no-fund', ...pkgs];
  try {
    await sh('npm', args, dir, logFile);
    return { legacyPeerDeps: false };
  } catch (e) {
    if (!/ERESOLVE|peer dep/i.test(String((e as Error).message))) throw e;
    await sh('npm', [...args, '--legacy-peer-deps'], dir, logFile);
    return { legacyPeerDeps: true };
  }
}

/** Installed version of a package in a workspace. */
export function installedVersion(dir: string, name: string): string {
  return JSON.parse(readFileSync(join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
}

export interface Size {
  files: string[];
  raw: number;
  gzip: number;
  jsRaw: number;
  jsGzip: number;
  cssRaw: number;
  /** "Initial total" raw size as ng build printed it (cross-check), bytes. */
  ngInitialRaw: number | null;
}

/** Production build; initial files = the scripts, module preloads and style sheets index.html references. */
export async function buildAndMeasure(dir: string, logFile: string): Promise<Size & { ms: number }> {
  rmSync(join(dir, 'dist'), { recursive: true, force: true });
  const { out, ms } = await sh('ng', ['build', '--configuration', 'production'], dir, logFile);
  const dist = join(dir, 'dist', APP_NAME, 'browser');
  return { ...initialSize(dist), ngInitialRaw: ngInitialTotal(out), ms };
}

export function initialSize(dist: string): Omit<Size, 'ngInitialRaw'> {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const files = new Set<string>();
  for (const m of html.matchAll(/<(script|link)\b[^>]*>/g)) {
    const tag = m[0];
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (!url || /^(https?:)?\/\//.test(url)) continue;
    if (m[1] === 'link' && !/rel="(stylesheet|modulepreload)"/.test(tag)) continue;
    if (!/\.(m?js|css)$/.test(url)) continue;
    files.add(url.replace(/^\.?\//, ''));
  }
  const s = { files: [...files].sort(), raw: 0, gzip: 0, jsRaw: 0, jsGzip: 0, cssRaw: 0 };
  for (const f of s.files) {
    const buf = readFileSync(join(dist, f));
    const gz = gzipSync(buf, { level: zlib.Z_BEST_COMPRESSION }).length;
    s.raw += buf.length;
    s.gzip += gz;
    if (f.endsWith('.css')) s.cssRaw += buf.length;
    else {
      s.jsRaw += buf.length;
      s.jsGzip += gz;
    }
  }
  return s;
}

/** "Initial total | 208.15 kB | 56.53 kB" → bytes (kB = 1000 B in the CLI's table). */
function ngInitialTotal(out: string): number | null {
  const clean = out.replace(/\x1b\[[0-9;]*m/g, '');
  const m = /Initial total\s*\|?\s*([\d.]+)\s*(kB|MB|bytes)/.exec(clean);
  if (!m) return null;
  const k = m[2] === 'MB' ? 1e6 : m[2] === 'kB' ? 1e3 : 1;
  return Math.round(Number(m[1]) * k);
}

/** Copies bench/contenders/<id>/* (and the shared app.html) over src/app of a workspace. */
export function copyContender(dir: string, id: string): void {
  const app = join(dir, 'src', 'app');
  const from = join(BENCH, 'contenders', id);
  for (const f of readdirSync(from)) cpSync(join(from, f), join(app, f));
  cpSync(join(BENCH, 'contenders', 'app.html'), join(app, 'app.html'));
  for (const f of ['app.css', 'app.spec.ts']) rmSync(join(app, f), { force: true });
}

/** Snapshot of a workspace without node_modules, to put it back between timed runs. */
export function snapshot(dir: string): () => void {
  const snap = `${dir}.snapshot`;
  rmSync(snap, { recursive: true, force: true });
  mkdirSync(snap, { recursive: true });
  const top = readdirSync(dir).filter((f) => f !== 'node_modules' && f !== '.angular' && f !== 'dist');
  for (const f of top) cpSync(join(dir, f), join(snap, f), { recursive: true, verbatimSymlinks: true });
  return () => {
    for (const f of readdirSync(dir)) if (f !== 'node_modules') rmSync(join(dir, f), { recursive: true, force: true });
    for (const f of top) cpSync(join(snap, f), join(dir, f), { recursive: true, verbatimSymlinks: true });
  };
}

export function fileSize(p: string): number {
  return statSync(p).size;
}

export function writeText(p: string, s: string): void {
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, s);
}
