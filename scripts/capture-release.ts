// Records what a real release of ngx-auth-renew generated, as fixtures for the release history the
// package ships (the upgrade's three-way merge rebuilds a folder's base from that history, so it
// must reproduce each release byte for byte).
//
//   node scripts/capture-release.ts <git revision> <version>     e.g. 971124b 0.1.0
//   node scripts/capture-release.ts                              every release in RELEASES below
//
// For one release: `git archive <rev>` into a temporary folder, built there with its own
// `npm run build` (node_modules: a symlink to this checkout's), then its `auth-renew` schematic run
// by SchematicTestRunner on the CLI-made workspaces of .cache/fixtures (scripts/make-fixtures.sh)
// for every option shape that release accepts. Written:
//   test/fixtures/releases/<version>.json   per shape: the options, sha256 of every file the run
//                                           created or changed (and of the changed files before)
//   test/fixtures/releases/<version>-files/<slug>/...   full texts of the generated files (the auth
//                                           folder and silent-renew files) for FULL_TEXT shapes only,
//                                           with index.json: slug → shape key
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, '.cache', 'fixtures');
const OUT = join(ROOT, 'test', 'fixtures', 'releases');
const require = createRequire(join(ROOT, 'package.json'));

/** The releases: the tree at each commit is what was published as that version. */
const RELEASES: [rev: string, version: string][] = [['971124b', '0.1.0'], ['959bc4d', '0.2.0']];

/** Workspaces the shapes run on (scripts/make-fixtures.sh). */
const WORKSPACES = {
  ng22: 'Angular CLI 22.2.7, ng new --defaults (standalone, Vitest)',
  'ng21-karma': 'Angular CLI 21.2.27, ng new --defaults --test-runner=karma (standalone, Karma)',
} as const;
type WorkspaceName = keyof typeof WORKSPACES;

/**
 * Shapes whose full file texts are written too, per version (none: the hashes, the committed 0.1.0
 * tarball and migrations/history.json hold the texts; name shapes here to look at them).
 */
const FULL_TEXT: Record<string, string[]> = {};

export interface Shape {
  workspace: WorkspaceName;
  flow: 'code' | 'implicit';
  renewal: 'refresh-token' | 'iframe';
  storage: 'session' | 'local' | 'memory';
  dpop: boolean;
  skipTests: boolean;
  authority: string;
  clientId: string;
  scope?: string;
  renewBefore?: number;
  path?: string;
}

const quote = (value: string) => (/\s|"/.test(value) ? JSON.stringify(value) : value);

/**
 * `ng22 flow=code renewal=iframe storage=session dpop=no skipTests=no authority=https://id.example.com
 * clientId=spa scope=default renewBefore=default path=default`; a value with a space is quoted as in JSON.
 */
export function shapeKey(s: Shape): string {
  return [
    s.workspace,
    `flow=${s.flow}`, `renewal=${s.renewal}`, `storage=${s.storage}`, `dpop=${s.dpop ? 'yes' : 'no'}`,
    `skipTests=${s.skipTests ? 'yes' : 'no'}`, `authority=${quote(s.authority)}`, `clientId=${quote(s.clientId)}`,
    `scope=${s.scope === undefined ? 'default' : quote(s.scope)}`,
    `renewBefore=${s.renewBefore === undefined ? 'default' : s.renewBefore}`,
    `path=${s.path === undefined ? 'default' : quote(s.path)}`,
  ].join(' ');
}

/** A short folder name for a shape: `ng22-code-refresh-token-session` (+ `-dpop`, `-skip-tests`, `-custom`). */
export function slug(s: Shape): string {
  const custom = s.scope !== undefined || s.renewBefore !== undefined || s.path !== undefined ||
    s.authority !== 'https://id.example.com' || s.clientId !== 'spa';
  return [s.workspace, s.flow, s.renewal, s.storage, s.dpop && 'dpop', s.skipTests && 'skip-tests', custom && 'custom']
    .filter(Boolean).join('-');
}

/** The options the schematic is run with: exactly those of the shape, nothing defaulted by us. */
function optionsOf(s: Shape): Record<string, unknown> {
  return {
    authority: s.authority, clientId: s.clientId, flow: s.flow, renewal: s.renewal, storage: s.storage,
    skipTests: s.skipTests,
    ...(s.dpop ? { dpop: true } : {}),
    ...(s.scope !== undefined ? { scope: s.scope } : {}),
    ...(s.renewBefore !== undefined ? { renewBefore: s.renewBefore } : {}),
    ...(s.path !== undefined ? { path: s.path } : {}),
  };
}

/** Every shape a release accepts: 0.1.0 has no --dpop (recorded as dpop=no). */
export function shapesOf(version: string): Shape[] {
  const hasDpop = version !== '0.1.0';
  const shapes: Shape[] = [];
  const base = { authority: 'https://id.example.com', clientId: 'spa' };
  for (const workspace of Object.keys(WORKSPACES) as WorkspaceName[]) {
    for (const [flow, renewal] of [['code', 'refresh-token'], ['code', 'iframe'], ['implicit', 'iframe']] as const) {
      for (const storage of ['session', 'local', 'memory'] as const) {
        for (const dpop of hasDpop && flow === 'code' && renewal === 'refresh-token' ? [false, true] : [false]) {
          for (const skipTests of [false, true]) {
            shapes.push({ workspace, flow, renewal, storage, dpop, skipTests, ...base });
          }
        }
      }
    }
    // The options that are not a choice among values, off their defaults.
    shapes.push({ workspace, flow: 'code', renewal: 'refresh-token', storage: 'session', dpop: false, skipTests: false, ...base,
      scope: 'openid api', renewBefore: 45, path: 'src/app/login' });
  }
  return shapes;
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function filesBelow(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesBelow(path) : [path];
  });
}

function sh(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, {
    cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, PATH: `${join(ROOT, 'node_modules', '.bin')}:${process.env.PATH}` },
  });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited ${result.status}:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout;
}

/** The release's tree at `rev`, built, in a temporary folder; node_modules is this checkout's. */
export function extractAndBuild(rev: string): { dir: string; commit: string; build: string } {
  const commit = sh('git', ['rev-parse', '--verify', `${rev}^{commit}`], ROOT).trim();
  const dir = mkdtempSync(join(tmpdir(), `ngx-auth-renew-${rev}-`));
  execFileSync('sh', ['-c', `git archive ${commit} | tar -x -C "${dir}"`], { cwd: ROOT });
  symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(dir, 'node_modules'));
  sh('npm', ['run', 'build'], dir);
  return { dir, commit, build: 'npm run build' };
}

interface Recorded {
  workspace: WorkspaceName;
  options: Record<string, unknown>;
  /** Files the run created: path → sha256 of the bytes. */
  created: Record<string, string>;
  /** Files the run changed: path → sha256 after, and before (the workspace's own). */
  changed: Record<string, { before: string; after: string }>;
  deleted: string[];
}

async function capture(rev: string, version: string): Promise<void> {
  const started = Date.now();
  const { dir, commit } = extractAndBuild(rev);
  const built = Date.now();
  try {
    const { SchematicTestRunner, UnitTestTree } = require('@angular-devkit/schematics/testing');
    const { HostTree } = require('@angular-devkit/schematics');
    const runner = new SchematicTestRunner('ngx-auth-renew', join(dir, 'collection.json'));
    const workspaceFiles = new Map<WorkspaceName, { path: string; bytes: Buffer }[]>();
    const workspaceDigests: Record<string, string> = {};
    for (const name of Object.keys(WORKSPACES) as WorkspaceName[]) {
      const root = join(FIXTURES, name);
      if (!existsSync(join(root, 'angular.json'))) {
        throw new Error(`${root}: no workspace; run scripts/make-fixtures.sh first`);
      }
      const files = filesBelow(root).map((file) => ({ path: relative(root, file), bytes: readFileSync(file) }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      workspaceFiles.set(name, files);
      workspaceDigests[name] = sha256(Buffer.from(files.map((f) => `${f.path} ${sha256(f.bytes)}\n`).join('')));
    }

    const shapes: Record<string, Recorded> = {};
    const fullTexts: Record<string, { key: string; texts: Record<string, Buffer> }> = {};
    for (const shape of shapesOf(version)) {
      const key = shapeKey(shape);
      const tree = new UnitTestTree(new HostTree());
      const before = new Map<string, Buffer>();
      for (const { path, bytes } of workspaceFiles.get(shape.workspace)!) {
        tree.create('/' + path, bytes);
        before.set(path, bytes);
      }
      const options = optionsOf(shape);
      const after = await runner.runSchematic('auth-renew', options, tree);
      const recorded: Recorded = { workspace: shape.workspace, options, created: {}, changed: {}, deleted: [] };
      const texts: Record<string, Buffer> = {};
      const present = new Set<string>();
      for (const path of (after.files as string[]).map((p) => p.replace(/^\//, '')).sort()) {
        present.add(path);
        const bytes: Buffer = after.read('/' + path)!;
        const old = before.get(path);
        if (!old) {
          recorded.created[path] = sha256(bytes);
          texts[path] = bytes;
        } else if (!old.equals(bytes)) {
          recorded.changed[path] = { before: sha256(old), after: sha256(bytes) };
        }
      }
      recorded.deleted = [...before.keys()].filter((path) => !present.has(path)).sort();
      shapes[key] = recorded;
      if (FULL_TEXT[version]?.includes(key)) {
        fullTexts[slug(shape)] = { key, texts };
      }
    }

    mkdirSync(OUT, { recursive: true });
    const record = {
      version,
      commit,
      captured: 'node scripts/capture-release.ts: the release tree built with its own npm run build, its auth-renew ' +
        'schematic run by SchematicTestRunner (no CLI, so no prettier pass) on the workspaces below',
      workspaces: Object.fromEntries(Object.entries(WORKSPACES).map(([name, made]) => [name, { made, digest: workspaceDigests[name] }])),
      toolchain: {
        node: process.version,
        '@angular-devkit/schematics': require('@angular-devkit/schematics/package.json').version,
        typescript: require('typescript/package.json').version,
      },
      shapeCount: Object.keys(shapes).length,
      shapes,
    };
    writeFileSync(join(OUT, `${version}.json`), JSON.stringify(record, null, 2) + '\n');

    const filesDir = join(OUT, `${version}-files`);
    rmSync(filesDir, { recursive: true, force: true });
    if (Object.keys(fullTexts).length) {
      const index: Record<string, string> = {};
      for (const [name, { key, texts }] of Object.entries(fullTexts)) {
        index[name] = key;
        for (const [path, bytes] of Object.entries(texts)) {
          const target = join(filesDir, name, path);
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, bytes);
        }
      }
      writeFileSync(join(filesDir, 'index.json'), JSON.stringify(index, null, 2) + '\n');
    }
    for (const key of FULL_TEXT[version] ?? []) {
      if (!Object.values(fullTexts).some((f) => f.key === key)) throw new Error(`full-text shape not among the shapes of ${version}: ${key}`);
    }
    console.log(`${version} (${commit.slice(0, 7)}): ${Object.keys(shapes).length} shapes → ${relative(ROOT, join(OUT, `${version}.json`))}` +
      `${Object.keys(fullTexts).length ? `, full texts of ${Object.keys(fullTexts).length} → ${relative(ROOT, filesDir)}` : ''}` +
      ` (build ${((built - started) / 1000).toFixed(1)} s, runs ${((Date.now() - built) / 1000).toFixed(1)} s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [rev, version] = process.argv.slice(2);
  if (rev && !version) {
    console.error('usage: node scripts/capture-release.ts [<git revision> <version>]');
    process.exit(2);
  }
  for (const [r, v] of rev ? [[rev, version] as [string, string]] : RELEASES) {
    await capture(r, v);
  }
}
