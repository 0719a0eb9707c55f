// An app made by an earlier release of ngx-auth-renew, the way its user made it, for the upgrade
// proofs (test/integration/upgrade.spec.ts and the e2e scenario "upgraded from 0.1.0"):
// `ng add <that release's tarball> ...flags` on a fresh `ng new`, then the edits a user makes.
//
//   node scripts/release-app.ts pack <git revision> <version>    (re)make the committed release tarball
//   node scripts/release-app.ts make --dir <workspace> [--version 0.1.0] -- <ng add flags>
//        ng add of the release into an existing `ng new` workspace (with its node_modules), then
//        the user's edits (userEdits); prints the ng add output, then one JSON line:
//        {"ms": <ng add ms>, "edits": {...}}
//
// The release tarballs are committed (test/fixtures/releases/ngx-auth-renew-<version>.tgz): the
// upgrade proofs need neither the git history (CI may clone shallow) nor a build of an old tree
// against today's node_modules (a future TypeScript may refuse it); the tarball is the artifact a
// user installed. `pack` makes it from the git history (it fails loudly when the revision is absent).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractAndBuild } from './capture-release.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RELEASES = join(ROOT, 'test', 'fixtures', 'releases');
const BIN = join(ROOT, 'node_modules', '.bin');

/** The environment of every command: node 24 and this package's ng first, no prompts, no analytics. */
export function releaseEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${BIN}:${process.env.PATH}`,
    NG_CLI_ANALYTICS: 'false',
    NG_FORCE_TTY: 'false',
    CI: 'true',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    ...extra,
  };
}

/** Runs a command; resolves its output (stdout and stderr interleaved) or rejects with its tail. */
export function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = releaseEnv()): Promise<{ out: string; ms: number }> {
  return new Promise((ok, ko) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', ko);
    child.on('close', (code) => {
      if (code === 0) ok({ out, ms: Date.now() - started });
      else ko(Object.assign(new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${code}:\n${out.trimEnd().split('\n').slice(-40).join('\n')}`), { output: out }));
    });
  });
}

/** The committed tarball of a release; throws, naming the command that makes it, when absent. */
export function releaseTarball(version: string): string {
  const tarball = join(RELEASES, `ngx-auth-renew-${version}.tgz`);
  if (!existsSync(tarball)) {
    throw new Error(`${tarball} is missing: make it with \`node scripts/release-app.ts pack <revision of ${version}> ${version}\` ` +
      '(needs the git history) and commit it');
  }
  return tarball;
}

/** Builds the release's tree from the git history and packs it as test/fixtures/releases/ngx-auth-renew-<version>.tgz. */
export async function packRelease(rev: string, version: string): Promise<string> {
  const present = await exec('git', ['cat-file', '-e', `${rev}^{commit}`], ROOT).then(() => true, () => false);
  if (!present) {
    throw new Error(`git revision ${rev} (release ${version}) is not in this clone (shallow?): run \`git fetch --unshallow\``);
  }
  const { dir, commit } = extractAndBuild(rev);
  try {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (manifest.version !== version) {
      // The tree at 959bc4d (0.2.0) still says 0.1.0 in package.json: the tarball says which release it is.
      manifest.version = version;
      writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
    }
    const scratch = join(dir, '.pack');
    mkdirSync(scratch);
    await exec('npm', ['pack', '--silent', '--pack-destination', scratch], dir);
    const [name] = readdirSync(scratch);
    mkdirSync(RELEASES, { recursive: true });
    const target = join(RELEASES, `ngx-auth-renew-${version}.tgz`);
    writeFileSync(target, readFileSync(join(scratch, name)));
    console.log(`${version} (${commit.slice(0, 7)}) → ${target}`);
    return target;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What userEdits wrote, for the specs to look for after the upgrade. */
export interface UserEdits {
  /** The secureRoutes line of auth.config.ts as edited. */
  secureRoutes: string;
  /** The API the user listed in secureRoutes. */
  api: string;
  /** Lines of the user's own method in auth.service.ts (unique in the file). */
  serviceLines: string[];
}

export const USER_API = 'http://localhost:9100/api/';

/** The user's own method in AuthService: placed between two methods that 0.2.0 left as they were. */
const OWN_METHOD = [
  '  /** Ours, not generated: seconds the access token has left, for the status bar. */',
  '  secondsLeft(): number {',
  '    const expiresAt = this.expiresAt();',
  '    return expiresAt === null ? 0 : Math.max(0, Math.round((expiresAt - Date.now()) / 1000));',
  '  }',
];

/**
 * What a user does after `ng add`: lists their API in `secureRoutes` of auth.config.ts, and adds a
 * method of their own to AuthService (before `private setTokens(`, far from what 0.2.0 changed).
 * Throws when a file does not have the shape the release wrote.
 */
export function userEdits(dir: string, folder = 'src/app/auth'): UserEdits {
  const edit = (file: string, from: RegExp, to: (match: string) => string) => {
    const path = join(dir, folder, file);
    const text = readFileSync(path, 'utf8');
    const matches = text.match(new RegExp(from.source, 'g')) ?? [];
    if (matches.length !== 1) throw new Error(`${path}: ${matches.length} matches of ${from}, expected one`);
    writeFileSync(path, text.replace(from, to));
  };
  const secureRoutes = `secureRoutes: ['${USER_API}'],`;
  edit('auth.config.ts', /secureRoutes: \[\],/, () => secureRoutes);
  edit('auth.service.ts', /\n(  private setTokens\()/, (m) => `\n${OWN_METHOD.join('\n')}\n${m}`);
  return { secureRoutes, api: USER_API, serviceLines: OWN_METHOD };
}

/** `ng add <release tarball> --skip-confirmation --defaults ...flags` in an `ng new` workspace, then userEdits. */
export async function makeReleaseApp(dir: string, version: string, flags: string[]): Promise<{ out: string; ms: number; edits: UserEdits }> {
  const { out, ms } = await exec('ng', ['add', releaseTarball(version), '--skip-confirmation', '--defaults', ...flags], dir);
  return { out, ms, edits: userEdits(dir) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const dd = argv.indexOf('--');
  const own = dd >= 0 ? argv.slice(0, dd) : argv;
  const get = (k: string): string | undefined => { const i = own.indexOf(k); return i >= 0 ? own[i + 1] : undefined; };
  try {
    if (own[0] === 'pack' && own[1] && own[2]) {
      await packRelease(own[1], own[2]);
    } else if (own[0] === 'make' && get('--dir')) {
      const made = await makeReleaseApp(resolve(get('--dir')!), get('--version') ?? '0.1.0', dd >= 0 ? argv.slice(dd + 1) : []);
      process.stdout.write(made.out);
      console.log(`\n${JSON.stringify({ ms: made.ms, edits: made.edits })}`);
    } else {
      console.error('usage: node scripts/release-app.ts pack <revision> <version> | make --dir <workspace> [--version <v>] -- <ng add flags>');
      process.exit(2);
    }
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}
