import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { changedFiles, loadFixture, runAuthRenew, runner, snapshot } from './workspace-fixtures';
import { CURRENT_VERSION } from '../src/render/releases';

/** Runs auth-renew and collects what it logged. */
async function runLogged(tree: UnitTestTree, options: Record<string, unknown> = {}) {
  const entries: { level: string; message: string }[] = [];
  const subscription = runner.logger.subscribe((entry) => entries.push({ level: entry.level, message: entry.message }));
  try {
    const after = await runAuthRenew(tree, options);
    return { after, entries };
  } finally {
    subscription.unsubscribe();
  }
}

const SECURE = `secureRoutes: ['https://api.example.com/'],`;

/** What a user does after ng add: fills in secureRoutes, changes a config value, edits a method. */
function editLikeAUser(tree: UnitTestTree): void {
  const config = tree.readText('/src/app/auth/auth.config.ts');
  tree.overwrite('/src/app/auth/auth.config.ts', config
    .replace(/secureRoutes: \[\],.*/, SECURE)
    .replace('renewBeforeSeconds: 30,', 'renewBeforeSeconds: 60,'));
  const service = tree.readText('/src/app/auth/auth.service.ts');
  tree.overwrite('/src/app/auth/auth.service.ts',
    service.replace('unscheduleRenewal(): void {', 'unscheduleRenewal(): void {\n    console.log(\'stop\');'));
}

describe('auth-renew run again with the same options', () => {
  for (const options of [{}, { renewal: 'iframe', storage: 'local' }, { flow: 'implicit', renewal: 'iframe' }]) {
    it(`keeps the user's edits and names the files it left alone (${JSON.stringify(options)})`, async () => {
      const tree = await runAuthRenew(loadFixture('ng22'), options);
      editLikeAUser(tree);
      const edited = snapshot(tree);
      const { entries } = await runLogged(tree, options);
      expect(changedFiles(edited, snapshot(tree))).toEqual([]);
      expect(tree.readText('/src/app/auth/auth.config.ts')).toContain(SECURE);
      const info = entries.filter((e) => e.level === 'info' && e.message.includes('left your edited'));
      expect(info.map((e) => e.message)).toEqual([
        'ngx-auth-renew: left your edited src/app/auth/auth.config.ts, src/app/auth/auth.service.ts as they are ' +
        '(they differ from what these options generate).',
      ]);
      expect(entries.some((e) => e.level === 'warn' && e.message.includes('overwrite'))).toBe(false);
    });
  }

  it('re-creates a generated file the user deleted and keeps the edited ones', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'));
    const guard = tree.readText('/src/app/auth/auth.guard.ts');
    editLikeAUser(tree);
    tree.delete('/src/app/auth/auth.guard.ts');
    await runAuthRenew(tree);
    expect(tree.readText('/src/app/auth/auth.guard.ts')).toBe(guard);
    expect(tree.readText('/src/app/auth/auth.config.ts')).toContain(SECURE);
  });

  it('records the release and the options in ngx-auth-renew.json, and reads them back on the next run', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'), { renewal: 'iframe', storage: 'memory' });
    expect(JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json'))).toEqual(jasmine.objectContaining({
      version: CURRENT_VERSION,
      options: {
        authority: 'https://id.example.com', clientId: 'spa', flow: 'code', renewal: 'iframe', renewBefore: 30,
        scope: 'openid profile email', storage: 'memory', dpop: false, bff: false, skipTests: false, provider: 'generic', audience: '',
      },
      specs: 'vitest',
      silentRenew: 'public',
    }));
    const config = tree.readText('/src/app/auth/auth.config.ts');
    tree.overwrite('/src/app/auth/auth.config.ts', config.replace(/secureRoutes: \[\],.*/, SECURE));
    const edited = snapshot(tree);
    await runAuthRenew(tree, { renewal: 'iframe', storage: 'memory' });
    expect(changedFiles(edited, snapshot(tree))).toEqual([]);
    await expectAsync(runAuthRenew(tree, { renewal: 'iframe', storage: 'local' }))
      .toBeRejectedWithError(/was generated with --flow code --renewal iframe --storage memory;/);
  });
});

describe('auth-renew run again with other options', () => {
  it('iframe → refresh-token: names every change, the edited files among them, and changes nothing', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'), { renewal: 'iframe' });
    editLikeAUser(tree);
    const edited = snapshot(tree);
    await expectAsync(runAuthRenew(tree, { renewal: 'refresh-token' })).toBeRejectedWithError(
      'src/app/auth was generated with --flow code --renewal iframe --storage session; ' +
      '--flow code --renewal refresh-token --storage session would ' +
      'replace auth.config.ts (edited since generated), renew.spec.ts, renew.ts; ' +
      'remove silent-renew-frame.spec.ts, silent-renew-frame.ts (no longer needed); ' +
      'no longer use public/silent-renew.html, public/silent-renew.js (kept: the app serves them). ' +
      'Nothing was changed: run again with the earlier options to keep these files, ' +
      'or add --overwrite to apply the changes.');
    expect(snapshot(tree)).toEqual(edited);
  });

  it('refresh-token → iframe: says which files would be added', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'));
    const before = snapshot(tree);
    await expectAsync(runAuthRenew(tree, { renewal: 'iframe' })).toBeRejectedWithError(
      /would replace auth\.config\.ts, renew\.spec\.ts, renew\.ts; add silent-renew-frame\.spec\.ts, silent-renew-frame\.ts, public\/silent-renew\.html, public\/silent-renew\.js\. Nothing was changed/);
    expect(snapshot(tree)).toEqual(before);
  });

  it('--storage session → memory changes auth.config.ts only; → local also the tab sync', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'));
    const before = snapshot(tree);
    await expectAsync(runAuthRenew(tree, { storage: 'memory' })).toBeRejectedWithError(
      /--storage memory would replace auth\.config\.ts\. Nothing was changed/);
    await expectAsync(runAuthRenew(tree, { storage: 'local' })).toBeRejectedWithError(
      /--storage local would replace auth\.config\.ts, tab-sync\.spec\.ts, tab-sync\.ts; remove tab-identity\.ts \(no longer needed\)\. Nothing was changed/);
    expect(snapshot(tree)).toEqual(before);
  });

  it('code + refresh-token → implicit + iframe with --overwrite: what a fresh implicit run writes', async () => {
    const fresh = snapshot(await runAuthRenew(loadFixture('ng22'), { flow: 'implicit', renewal: 'iframe' }));
    const tree = await runAuthRenew(loadFixture('ng22'));
    await runAuthRenew(tree, { flow: 'implicit', renewal: 'iframe', overwrite: true });
    expect(changedFiles(fresh, snapshot(tree))).toEqual([]);
  });

  it('with --overwrite: writes what a fresh run writes, keeps unrelated edits, merges the edited file that changes', async () => {
    const fresh = snapshot(await runAuthRenew(loadFixture('ng22'), { renewal: 'iframe' }));
    const tree = await runAuthRenew(loadFixture('ng22'));
    editLikeAUser(tree);
    const service = tree.readText('/src/app/auth/auth.service.ts');
    const { entries } = await runLogged(tree, { renewal: 'iframe', overwrite: true });
    const after = snapshot(tree);
    expect(changedFiles(fresh, after)).toEqual(['/src/app/auth/auth.config.ts', '/src/app/auth/auth.service.ts']);
    expect(after['/src/app/auth/auth.service.ts']).toBe(service);
    // The user changed renewBeforeSeconds, the next to the scope line that iframe renewal changes: a conflict, nothing lost.
    expect(after['/src/app/auth/auth.config.ts']).toBe(fresh['/src/app/auth/auth.config.ts'].replace(
      "  scope: 'openid profile email',\n  renewBeforeSeconds: 30,\n",
      '<<<<<<< your edits\n' +
      "  scope: 'openid profile email offline_access',\n  renewBeforeSeconds: 60,\n" +
      `||||||| ${CURRENT_VERSION}\n` +
      "  scope: 'openid profile email offline_access',\n  renewBeforeSeconds: 30,\n" +
      '=======\n' +
      "  scope: 'openid profile email',\n  renewBeforeSeconds: 30,\n" +
      `>>>>>>> ${CURRENT_VERSION}\n`).replace(/secureRoutes: \[\],.*/, SECURE));
    expect(entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'ngx-auth-renew: your edits and the new options changed the same lines; resolve the marked lines ' +
      '(<<<<<<< … >>>>>>>): src/app/auth/auth.config.ts:7.']);
  });

  it('--dpop on, then off: says what would change, --overwrite applies it and matches a fresh run', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'));
    const before = snapshot(tree);
    await expectAsync(runAuthRenew(tree, { dpop: true })).toBeRejectedWithError(
      'src/app/auth was generated with --flow code --renewal refresh-token --storage session; ' +
      '--flow code --renewal refresh-token --storage session --dpop would replace auth.config.ts; add dpop.spec.ts, dpop.ts. ' +
      'Nothing was changed: run again with the earlier options to keep these files, or add --overwrite to apply the changes.');
    expect(snapshot(tree)).toEqual(before);

    const fresh = snapshot(await runAuthRenew(loadFixture('ng22'), { dpop: true }));
    await runAuthRenew(tree, { dpop: true, overwrite: true });
    expect(changedFiles(fresh, snapshot(tree))).toEqual([]);
    expect(JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json')).options.dpop).toBe(true);
    await runAuthRenew(tree, { dpop: true });
    expect(changedFiles(fresh, snapshot(tree))).toEqual([]);

    await expectAsync(runAuthRenew(tree, {})).toBeRejectedWithError(
      /--storage session --dpop; --flow code --renewal refresh-token --storage session would replace auth\.config\.ts; remove dpop\.spec\.ts, dpop\.ts \(no longer needed\)\. Nothing was changed/);
    await runAuthRenew(tree, { overwrite: true });
    expect(tree.exists('/src/app/auth/dpop.ts')).toBe(false);
    expect(tree.readText('/src/app/auth/auth.config.ts')).toBe(before['/src/app/auth/auth.config.ts']);
  });

  it('with --overwrite iframe → refresh-token: deletes the iframe files in the auth folder, keeps the served ones', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'), { renewal: 'iframe' });
    const { entries } = await runLogged(tree, { renewal: 'refresh-token', overwrite: true });
    expect(tree.exists('/src/app/auth/silent-renew-frame.ts')).toBe(false);
    expect(tree.exists('/src/app/auth/silent-renew-frame.spec.ts')).toBe(false);
    expect(tree.exists('/public/silent-renew.html')).toBe(true);
    expect(JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json')).options.renewal).toBe('refresh-token');
    expect(entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'ngx-auth-renew: public/silent-renew.html, public/silent-renew.js are no longer used; delete them if nothing else needs them.',
    ]);
    const again = snapshot(tree);
    await runAuthRenew(tree, { renewal: 'refresh-token' });
    expect(changedFiles(again, snapshot(tree))).toEqual([]);
  });

  it('with --overwrite and no earlier run: replaces a user file of the same name and says so', async () => {
    const fresh = snapshot(await runAuthRenew(loadFixture('ng22')));
    const tree = loadFixture('ng22');
    tree.create('/src/app/auth/auth.service.ts', 'export class AuthService { mine = true; }\n');
    const { entries } = await runLogged(tree, { overwrite: true });
    expect(changedFiles(fresh, snapshot(tree))).toEqual([]);
    expect(entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual([
      'ngx-auth-renew: --overwrite replaced your src/app/auth/auth.service.ts (not generated by ngx-auth-renew).',
    ]);
  });
});

describe('auth-renew in an app with no test runner', () => {
  /** ng22 as `ng new --skip-tests` makes it: no test target, no vitest. */
  function withoutTestRunner(): UnitTestTree {
    const tree = loadFixture('ng22');
    const workspace = JSON.parse(tree.readText('/angular.json'));
    delete workspace.projects.ng22.architect.test;
    tree.overwrite('/angular.json', JSON.stringify(workspace, null, 2));
    const manifest = JSON.parse(tree.readText('/package.json'));
    delete manifest.devDependencies.vitest;
    tree.overwrite('/package.json', JSON.stringify(manifest, null, 2));
    return tree;
  }
  const specs = (tree: UnitTestTree) => tree.files.filter((f) => f.startsWith('/src/app/auth/') && /\.(spec|testing)\.ts$/.test(f));

  it('writes no spec files unless asked, and records that', async () => {
    const tree = await runAuthRenew(withoutTestRunner());
    expect(specs(tree)).toEqual([]);
    expect(JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json')).options.skipTests).toBe(true);
    const asked = await runAuthRenew(withoutTestRunner(), { skipTests: false });
    expect(specs(asked).length).toBeGreaterThan(10);
  });

  it('a re-run without --skip-tests keeps the specs of a folder that has them', async () => {
    const tree = await runAuthRenew(withoutTestRunner(), { skipTests: false });
    const before = snapshot(tree);
    await runAuthRenew(tree);
    expect(changedFiles(before, snapshot(tree))).toEqual([]);
  });
});

describe('auth-renew without --path where the default folder holds files of the user\'s own', () => {
  it('names the folder it generated earlier in its one line', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/app/auth/auth.service.ts', 'export class AuthService { mine = true; }\n');
    await runAuthRenew(tree, { path: 'src/app/oidc' });
    const before = snapshot(tree);
    await expectAsync(runAuthRenew(tree)).toBeRejectedWithError(
      'src/app/auth/auth.service.ts already exists and differs from what ngx-auth-renew writes; it was left untouched. ' +
      'Move or delete it, or pass --path <another folder> (ngx-auth-renew generated src/app/oidc earlier: --path src/app/oidc runs it there again).');
    expect(changedFiles(before, snapshot(tree))).toEqual([]);
  });
});

describe('auth-renew run again without --provider', () => {
  it('keeps the preset and audience the folder was generated with', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'), { provider: 'auth0', audience: 'https://api.example.com/' });
    const before = snapshot(tree);
    await runAuthRenew(tree);
    expect(changedFiles(before, snapshot(tree))).toEqual([]);
    expect(JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json')).options.provider).toBe('auth0');
  });
});
