import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');
export const WORK = join(ROOT, '.cache', 'integration');

/** Node 24 and the Angular CLI from this package's devDependencies come first, as under `npm run`. */
const env = {
  ...process.env,
  PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env['PATH']}`,
  NG_CLI_ANALYTICS: 'false',
  NG_FORCE_TTY: 'false',
  CI: 'true',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  npm_config_update_notifier: 'false',
};

/** Runs a command to completion: its exit status and its output (stdout then stderr). */
export function run(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  const result = spawnSync(command, args, { cwd, env: { ...env, ...extraEnv }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Runs a command to completion; throws with the tail of its output when it fails. */
export function sh(command: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): string {
  const { status, output } = run(command, args, cwd, extraEnv);
  if (status !== 0) {
    const tail = output.trimEnd().split('\n').slice(-30).join('\n');
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${status}:\n${tail}`);
  }
  return output;
}

/** How many `it(` the workspace's spec files hold: the app's own and the generated ones. */
export function testCount(dir: string): number {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.spec.ts'))
    .reduce((n, f) => n + (readFileSync(join(dir, f), 'utf8').match(/\bit\(/g) ?? []).length, 0);
}

/** The output without terminal colours. */
export const plain = (output: string) => output.replace(/\x1b\[[0-9;]*m/g, '');

let tarball: string | undefined;

/** Builds and packs this package the way it is published, once per run; returns the tarball's path. */
export function packTarball(): string {
  if (tarball) {
    return tarball;
  }
  mkdirSync(WORK, { recursive: true });
  for (const old of readdirSync(WORK).filter((f) => f.endsWith('.tgz'))) {
    rmSync(join(WORK, old));
  }
  sh('npm', ['run', 'build'], ROOT);
  const name = sh('npm', ['pack', '--silent', '--pack-destination', WORK], ROOT).trim().split('\n').pop()!;
  tarball = join(WORK, name);
  return tarball;
}

/** Base workspaces already made by this run: spec files that share one make it once. */
const madeThisRun = new Set<string>();

/**
 * A fresh `ng new` (with its install) by the given CLI version, made once per run and copied for
 * each case so that every case starts from what a user has after `ng new`.
 *
 * `pinAngular` installs every `@angular/*` package at that exact version instead of the CLI's caret
 * ranges: the registry here can lag behind for some packages (seen: `@angular/platform-server` and
 * `@angular/ssr` stop at 22.2.0 while `@angular/common` has 22.2.6), and npm then refuses the
 * install on their exact peer ranges.
 */
export function newWorkspace(cliVersion: string, name: string, flags: string[], pinAngular?: string): string {
  const base = join(WORK, 'base', name);
  const reuse = madeThisRun.has(base) ||
    (process.env['REUSE_WORKSPACES'] === '1' && existsSync(join(base, 'node_modules', '@angular', 'core')));
  if (!reuse) {
    rmSync(base, { recursive: true, force: true });
    mkdirSync(join(WORK, 'base'), { recursive: true });
    const install = pinAngular ? ['--skip-install'] : [];
    sh('npx', ['-y', '-p', `@angular/cli@${cliVersion}`, 'ng', 'new', name, '--skip-git', ...flags, ...install], join(WORK, 'base'));
    if (pinAngular) {
      const manifest = join(base, 'package.json');
      const pinned = readFileSync(manifest, 'utf8').replace(/("@angular\/[a-z-]+": )"[^"]+"/g, `$1"${pinAngular}"`);
      writeFileSync(manifest, pinned);
      sh('npm', ['install'], base);
    }
  }
  madeThisRun.add(base);
  return base;
}

export function copyWorkspace(base: string, id: string): string {
  const dir = join(WORK, 'cases', id);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(WORK, 'cases'), { recursive: true });
  sh('cp', ['-a', base, dir], WORK); // node's cpSync takes about a minute over node_modules here, cp -a seconds
  return dir;
}

/**
 * Karma's ChromeHeadless launcher on Debian's chromium. CI runs as root, where chromium needs
 * --no-sandbox, which the launcher does not pass: a two-line wrapper adds it.
 */
export function karmaChrome(): Record<string, string> {
  const wrapper = join(WORK, 'chromium-no-sandbox');
  mkdirSync(WORK, { recursive: true });
  writeFileSync(wrapper, '#!/bin/sh\nexec /usr/bin/chromium --no-sandbox "$@"\n');
  chmodSync(wrapper, 0o755);
  return { CHROME_BIN: wrapper };
}
