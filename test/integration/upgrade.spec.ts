import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, copyWorkspace, newWorkspace, packTarball, plain, run, sh, testCount } from './cli';
import {
  OFFLINE_UPDATE_ENV, RELEASE_OPTIONS, UPDATE, UserEdits, conflictsOf, filesWithConflictMarkers, freshOutput, generatedFiles,
  makeRelease010App, names, summary, treeDigest,
} from './upgrade';

/**
 * A real upgrade: an Angular 22 app made by `ng add` of release 0.1.0 (the committed tarball,
 * test/fixtures/releases/ngx-auth-renew-0.1.0.tgz), edited like a user does, then this package
 * installed and `ng update ngx-auth-renew --migrate-only --from 0.1.0` run (offline). The generated
 * folder must come out as the installed release generates it, with the user's edits merged in;
 * an edit on a line the release changed must come out as a conflict that names file:line and that
 * `ng build` refuses.
 *
 * UPGRADE_TARBALL=<x.tgz> upgrades to that tarball instead of this checkout packed (a release
 * candidate; or, before the migrations exist, a stand-in to try the assertions on).
 */
jasmine.DEFAULT_TIMEOUT_INTERVAL = 20 * 60_000;

const AUTH = 'src/app/auth';
const read = (dir: string, path: string) => readFileSync(join(dir, path), 'utf8');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The 0.1.0 discover() line (no deadline) and the user's own fix of it, which 0.2.0 also rewrote. */
const RELEASE_LINE = '      as = discoveryRequest(issuer, options).then((response) =>';
const USER_LINE = '      as = discoveryRequest(issuer, { ...options, signal: AbortSignal.timeout(8_000) }).then((response) =>';

interface Captured {
  shapes: Record<string, { created: Record<string, string> }>;
}

/** The user's edits taken out of a file again: what the generator alone would have written. */
function withoutEdits(path: string, text: string, edits: UserEdits): string {
  if (path.endsWith('/auth.config.ts')) return text.replace(edits.secureRoutes, 'secureRoutes: [],');
  // userEdits put the method and a blank line before `  private setTokens(`.
  if (path.endsWith('/auth.service.ts')) return text.replace(`${edits.serviceLines.join('\n')}\n\n`, '');
  return text;
}

/** Installs the packed package over 0.1.0 (as ng add did, a devDependency); returns its version. */
function installCurrent(dir: string, tarball: string): string {
  const t = Date.now();
  sh('npm', ['install', '--save-dev', tarball], dir);
  const version = JSON.parse(read(dir, 'node_modules/ngx-auth-renew/package.json')).version as string;
  console.log(`\n    npm install of ${version}: ${seconds(Date.now() - t)}`);
  return version;
}

function ngUpdate(dir: string, label: string): { status: number | null; output: string } {
  const t = Date.now();
  const result = run('ng', UPDATE, dir, OFFLINE_UPDATE_ENV);
  console.log(`    ${label}: ng ${UPDATE.join(' ')} took ${seconds(Date.now() - t)}, exit ${result.status}`);
  return { status: result.status, output: plain(result.output) };
}

describe('ng update from an app made by ngx-auth-renew 0.1.0 (Angular 22, Vitest)', () => {
  let tarball: string;
  let base: string;
  let app: string;
  let edits: UserEdits;
  let fresh: Record<string, string>;

  beforeAll(async () => {
    tarball = process.env['UPGRADE_TARBALL'] ?? packTarball();
    base = newWorkspace('22.2.7', 'app22', ['--defaults']);
    app = copyWorkspace(base, 'upgrade-0.1.0-app');
    const made = makeRelease010App(app);
    edits = made.edits;
    console.log(`\n    0.1.0 app: ng add of the 0.1.0 tarball ${seconds(made.ms)}`);
    // What the installed release writes for the same options on the same ng new workspace.
    fresh = await freshOutput(base, RELEASE_OPTIONS);
  });

  it('the app is what 0.1.0 made: 0.1.0 auth.config.ts, the captured 0.1.0 output byte for byte, and it builds with the user\'s edits', () => {
    const config = read(app, `${AUTH}/auth.config.ts`);
    expect(config.split('\n')[0]).not.toMatch(/^\/\/ ngx-auth-renew:/);
    expect(config).toContain('// Flow: authorization code + PKCE; renewal: refresh token.');
    expect(config).toContain(edits.secureRoutes);

    // test/fixtures/releases/0.1.0.json (scripts/capture-release.ts): the same files for this shape,
    // whose authority and client id appear in auth.config.ts only.
    const captured: Captured = JSON.parse(read(ROOT, 'test/fixtures/releases/0.1.0.json'));
    const shape = captured.shapes['ng22 flow=code renewal=refresh-token storage=session dpop=no skipTests=no ' +
      'authority=https://id.example.com clientId=spa scope=default renewBefore=default path=default'];
    const paths = Object.keys(shape.created).filter((path) => !path.endsWith('/auth.config.ts'));
    expect(generatedFiles(app).filter((path) => !path.endsWith('/auth.config.ts'))).toEqual(paths.sort());
    for (const path of paths) {
      expect(sha256(withoutEdits(path, read(app, path), edits))).withContext(path).toBe(shape.created[path]);
    }

    const t = Date.now();
    sh('ng', ['build'], app);
    console.log(`    0.1.0 app: ng build ${seconds(Date.now() - t)}`);
  });

  it('edits away from the release\'s changes: merged, summary printed, generated files as the release writes them, ng build and ng test pass, a second run changes nothing', () => {
    const dir = copyWorkspace(app, 'upgrade-merged');
    const version = installCurrent(dir, tarball);
    const { status, output } = ngUpdate(dir, 'first run');
    if (status !== 0) {
      fail(`ng update exited ${status}:\n${output}`);
      return;
    }

    const printed = summary(output);
    expect(printed['replaced']?.length ?? 0).withContext(output).toBeGreaterThan(0);
    expect(names(printed['replaced'], `${AUTH}/oidc.ts`)).withContext(output).toBe(true);
    expect(names(printed['merged'], `${AUTH}/auth.config.ts`)).withContext(output).toBe(true);
    expect(names(printed['merged'], `${AUTH}/auth.service.ts`)).withContext(output).toBe(true);
    expect(printed['added']?.length ?? 0).withContext(output).toBeGreaterThan(0);

    // The user's edits are there, and no conflict anywhere.
    expect(read(dir, `${AUTH}/auth.config.ts`)).toContain(edits.secureRoutes);
    expect(read(dir, `${AUTH}/auth.service.ts`)).toContain(edits.serviceLines.join('\n'));
    expect(filesWithConflictMarkers(dir)).toEqual([]);

    // Every generated file is what the installed release writes for these options (the user's edits
    // aside): files added, removed and renamed followed. The record of release and options is JSON.
    const expected = Object.keys(fresh).filter((path) => path.startsWith(`${AUTH}/`) || path.startsWith('src/silent-renew')).sort();
    expect(generatedFiles(dir)).toEqual(expected);
    for (const path of expected.filter((p) => !p.endsWith('.json'))) {
      expect(withoutEdits(path, read(dir, path), edits)).withContext(path).toBe(fresh[path]);
    }
    const records = generatedFiles(dir).filter((path) => path.endsWith('.json'));
    expect(records.length).withContext('a JSON record of release and options in the folder').toBe(1);
    for (const path of records) {
      expect(JSON.parse(read(dir, path)).version).withContext(path).toBe(version);
    }
    // Dependencies followed: what the release adds for these options, at its ranges.
    const freshDeps: Record<string, string> = JSON.parse(fresh['package.json']).dependencies;
    const deps: Record<string, string> = JSON.parse(read(dir, 'package.json')).dependencies;
    for (const [name, range] of Object.entries(freshDeps)) {
      expect(deps[name]).withContext(name).toBe(range);
    }
    expect(read(dir, 'src/app/app.config.ts').match(/provideAuth\(authConfig\)/g)?.length).toBe(1);

    let t = Date.now();
    sh('ng', ['build'], dir);
    console.log(`    upgraded app: ng build ${seconds(Date.now() - t)}`);
    t = Date.now();
    const test = plain(sh('ng', ['test', '--no-watch'], dir));
    console.log(`    upgraded app: ng test --no-watch ${seconds(Date.now() - t)}`);
    const specFiles = readdirSync(join(dir, 'src'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.spec.ts')).length;
    expect(test).not.toMatch(/\d+ failed/);
    expect(Number(/Test Files\s+(\d+) passed/.exec(test)?.[1] ?? -1)).withContext(test).toBe(specFiles);
    expect(Number(/Tests\s+(\d+) passed/.exec(test)?.[1] ?? -1)).withContext(test).toBe(testCount(join(dir, 'src')));

    const before = treeDigest(dir);
    const again = ngUpdate(dir, 'second run');
    expect(again.status).withContext(again.output).toBe(0);
    expect(treeDigest(dir)).toEqual(before);
  });

  it('an edit on a line the release changed: conflict markers labelled with the versions, named file:line, exit 0; ng build refuses the file', () => {
    const dir = copyWorkspace(app, 'upgrade-conflict');
    const oidc = `${AUTH}/oidc.ts`;
    const original = read(dir, oidc);
    expect(original.split('\n').filter((line) => line === RELEASE_LINE).length).toBe(1);
    writeFileSync(join(dir, oidc), original.replace(RELEASE_LINE, USER_LINE));
    const version = installCurrent(dir, tarball);
    const { status, output } = ngUpdate(dir, 'conflict');
    if (status !== 0) {
      fail(`ng update exited ${status}:\n${output}`);
      return;
    }

    // Only oidc.ts conflicts (the edits of auth.config.ts and auth.service.ts merge as above).
    expect(filesWithConflictMarkers(dir)).toEqual([oidc]);
    let text = read(dir, oidc);
    const conflicts = conflictsOf(text);
    expect(conflicts.length).toBeGreaterThan(0);
    for (const conflict of conflicts) {
      expect(conflict.labels).toEqual(['your edits', '0.1.0', version]);
      expect(output).toContain(`${oidc}:${conflict.line}`);
    }
    const [first] = conflicts;
    expect(first.ours).toContain(USER_LINE);
    expect(first.base).toContain(RELEASE_LINE);
    expect(first.theirs).not.toContain(USER_LINE);
    expect(first.theirs).not.toContain(RELEASE_LINE);
    // Nothing else changed: the file with every conflict resolved to the release's side is the
    // release's file.
    while (conflictsOf(text).length) text = conflictsOf(text)[0].takeTheirs();
    expect(text).toBe(fresh[oidc]);

    const t = Date.now();
    const build = run('ng', ['build'], dir);
    console.log(`    conflicted app: ng build ${seconds(Date.now() - t)}, exit ${build.status}`);
    expect(build.status).not.toBe(0);
    expect(plain(build.output)).toContain('oidc.ts');
  });
});
