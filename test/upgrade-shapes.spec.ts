import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { join } from 'node:path';
import { CURRENT_VERSION, releaseOf, RenderOptions } from '../src/render/releases';
import { renderRelease } from '../src/render/render';
import { Schema } from '../src/render/schema';
import { filesUnder, logged, ngUpdate, optionsOf, plantRelease } from './upgrade-helpers';
import { changedFiles, loadFixture, runAuthRenew, snapshot } from './workspace-fixtures';

const AUTH = 'src/app/auth';

/** Every option shape a release accepts (DPoP from 0.2.0 on; implicit only with iframe renewal). */
function shapes(version: string): Partial<Schema>[] {
  const all: Partial<Schema>[] = [];
  for (const flow of ['code', 'implicit'] as const) {
    for (const renewal of ['refresh-token', 'iframe'] as const) {
      if (flow === 'implicit' && renewal === 'refresh-token') continue;
      for (const storage of ['session', 'local', 'memory'] as const) {
        all.push({ flow, renewal, storage });
        if (version !== '0.1.0' && flow === 'code' && renewal === 'refresh-token') all.push({ flow, renewal, storage, dpop: true });
      }
    }
  }
  return all;
}

/** What this release writes for `schema` into the ng22 workspace (a Vitest app): the auth folder and served files. */
function current(schema: Partial<Schema>): Record<string, string> {
  const files = renderRelease(releaseOf(CURRENT_VERSION)!, optionsOf(schema), { authPath: AUTH, silentRenewPath: 'src', vitestImports: true });
  return Object.fromEntries([...files].map(([path, content]) => [`/${path}`, content.toString()]));
}

describe('ng update ngx-auth-renew, every shape', () => {
  for (const version of ['0.1.0', '0.2.0']) {
    for (const schema of [...shapes(version), { skipTests: true }, { scope: 'openid api', renewBefore: 45 }]) {
      it(`${version} ${JSON.stringify(schema)}: untouched files become exactly ${CURRENT_VERSION}'s, the record says so, a second run changes nothing`, async () => {
        const tree = loadFixture('ng22');
        plantRelease(tree, version, schema);
        await ngUpdate(tree, version);
        const files = filesUnder(tree, AUTH, 'src/silent-renew.html', 'src/silent-renew.js');
        const record = JSON.parse(files[`/${AUTH}/ngx-auth-renew.json`]);
        delete files[`/${AUTH}/ngx-auth-renew.json`];
        expect(files).toEqual(current(schema));
        expect(record.version).toBe(CURRENT_VERSION);
        expect(record.options).toEqual(optionsOf(schema));
        const once = snapshot(tree);
        await ngUpdate(tree, version);
        expect(changedFiles(once, snapshot(tree))).toEqual([]);
      });
    }
  }
});

describe('ng update ngx-auth-renew, workspace shapes', () => {
  it('two folders in two projects (0.1.0 at the default path, 0.2.0 at a --path): both upgraded, each named', async () => {
    const tree = loadFixture('multi');
    plantRelease(tree, '0.1.0', {}, { authPath: 'projects/admin/src/app/auth', silentRenewPath: 'projects/admin/src' });
    plantRelease(tree, '0.2.0', { renewal: 'iframe', storage: 'local' }, { authPath: 'apps/shop/src/app/login', silentRenewPath: 'apps/shop/src' });
    const { entries } = await logged(() => ngUpdate(tree, '0.1.0'));
    const heads = entries.flatMap((e) => e.message.split('\n')).filter((l) => l.startsWith('ngx-auth-renew: upgraded'));
    expect(heads).toEqual([
      `ngx-auth-renew: upgraded apps/shop/src/app/login (project shop) from 0.2.0 to ${CURRENT_VERSION}`,
      `ngx-auth-renew: upgraded projects/admin/src/app/auth (project admin) from 0.1.0 to ${CURRENT_VERSION}`,
    ]);
    expect(JSON.parse(tree.readText('/apps/shop/src/app/login/ngx-auth-renew.json')).options.storage).toBe('local');
    expect(tree.exists('/apps/shop/src/app/login/tab-sync.ts')).toBe(true);
    expect(tree.exists('/projects/admin/src/app/auth/secure-routes.ts')).toBe(true);
    const once = snapshot(tree);
    await ngUpdate(tree, '0.1.0');
    expect(changedFiles(once, snapshot(tree))).toEqual([]);
  });

  it('a 0.2.0 folder in a Karma app (specs without vitest imports) stays without them', async () => {
    const tree = loadFixture('ng21-karma');
    plantRelease(tree, '0.2.0', {}, { vitestImports: false });
    await ngUpdate(tree, '0.2.0');
    expect(tree.readText(`/${AUTH}/auth.guard.spec.ts`)).not.toContain("from 'vitest'");
    expect(JSON.parse(tree.readText(`/${AUTH}/ngx-auth-renew.json`)).specs).toBe('plain');
  });

  it('an app whose root providers do not call provideAuth: one line says so, the file is left as it is', async () => {
    const tree = loadFixture('ng22');
    const config = tree.readText('/src/app/app.config.ts');
    plantRelease(tree, '0.1.0');
    expect(tree.readText('/src/app/app.config.ts')).toContain('provideAuth(authConfig)');
    tree.overwrite('/src/app/app.config.ts', config);
    const { entries } = await logged(() => ngUpdate(tree, '0.1.0'));
    expect(tree.readText('/src/app/app.config.ts')).toBe(config);
    expect(entries[0].message.split('\n')).toContain('  root provider: src/app/app.config.ts does not call the provideAuth of src/app/auth; ' +
      'add provideAuth(authConfig) to its providers (ng g auth-renew --project ng22 --path src/app/auth does it).');
  });

  it('dependencies follow: a range older than the release needs is raised, a missing one added, only their lines change', async () => {
    const tree = loadFixture('ng22');
    plantRelease(tree, '0.1.0', { flow: 'implicit', renewal: 'iframe' });
    const manifest = tree.readText('/package.json');
    const old = manifest.replace('"oauth4webapi": "^3.8.0"', '"oauth4webapi": "^3.1.0"').replace(/,\n\s*"jose": "\^6\.1\.0"/, '');
    expect(old).not.toBe(manifest);
    tree.overwrite('/package.json', old);
    const { entries } = await logged(() => ngUpdate(tree, '0.1.0'));
    const after = JSON.parse(tree.readText('/package.json'));
    expect(after.dependencies.oauth4webapi).toBe('^3.8.0');
    expect(after.dependencies.jose).toBe('^6.1.0');
    expect(entries[0].message.split('\n')).toContain('  package.json: oauth4webapi ^3.1.0 → ^3.8.0, jose ^6.1.0 (added)');
    const once = snapshot(tree);
    await ngUpdate(tree, '0.1.0');
    expect(changedFiles(once, snapshot(tree))).toEqual([]);
  });

  it('no generated folder: one line, nothing changed', async () => {
    const tree = loadFixture('ng22');
    const before = snapshot(tree);
    const { entries } = await logged(() => ngUpdate(tree, '0.1.0'));
    expect(entries.map((e) => e.message)).toEqual(['ngx-auth-renew: no folder generated by ngx-auth-renew in this workspace; nothing to upgrade.']);
    expect(changedFiles(before, snapshot(tree))).toEqual([]);
  });
});

describe('ng g auth-renew on a folder generated by an earlier release', () => {
  it('with the same options: the same upgrade as ng update, no file called the user\'s edit', async () => {
    const viaUpdate = loadFixture('ng22');
    plantRelease(viaUpdate, '0.1.0');
    await ngUpdate(viaUpdate, '0.1.0');
    const tree = loadFixture('ng22');
    plantRelease(tree, '0.1.0');
    const { entries } = await logged(() => runAuthRenew(tree));
    expect(filesUnder(tree, AUTH)).toEqual(filesUnder(viaUpdate, AUTH));
    expect(entries.some((e) => /your edited|merged with your edits|conflicts/.test(e.message))).toBe(false);
    expect(entries.find((e) => e.message.startsWith(`ngx-auth-renew: upgraded src/app/auth from 0.1.0 to ${CURRENT_VERSION}`))).toBeDefined();
  });

  it('with other shape options: stops, names the release and what would change, writes nothing', async () => {
    const tree = loadFixture('ng22');
    plantRelease(tree, '0.1.0');
    const before = snapshot(tree);
    await expectAsync(runAuthRenew(tree, { renewal: 'iframe' })).toBeRejectedWithError(
      /^src\/app\/auth was generated by ngx-auth-renew 0\.1\.0 with --flow code --renewal refresh-token --storage session; .* Nothing was changed/);
    expect(changedFiles(before, snapshot(tree))).toEqual([]);
  });

  it('a folder recorded by a newer release: one line, nothing written', async () => {
    const tree = await runAuthRenew(loadFixture('ng22'));
    const path = `/${AUTH}/ngx-auth-renew.json`;
    tree.overwrite(path, tree.readText(path).replace(`"version": "${CURRENT_VERSION}"`, '"version": "9.0.0"'));
    const before = snapshot(tree);
    await expectAsync(runAuthRenew(tree)).toBeRejectedWithError(
      `src/app/auth was generated by ngx-auth-renew 9.0.0, newer than the installed ${CURRENT_VERSION}: install ngx-auth-renew@9.0.0 or later ` +
      '(npm install -D ngx-auth-renew@9.0.0), then run again.');
    expect(changedFiles(before, snapshot(tree))).toEqual([]);
  });
});

describe('the release history', () => {
  it(`${CURRENT_VERSION} in migrations/history.json is today's templates/ (npm run build records it)`, () => {
    const { readFileSync, readdirSync } = require('node:fs') as typeof import('node:fs');
    const root = join(__dirname, '..', '..', 'templates');
    const history = JSON.parse(readFileSync(join(__dirname, '..', '..', 'migrations', 'history.json'), 'utf8'));
    const files = readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.parentPath !== root)
      .map((e) => join(e.parentPath, e.name).slice(root.length + 1));
    expect(Object.keys(history.releases[CURRENT_VERSION]).sort()).toEqual(files.sort());
    for (const file of files) {
      expect(history.blobs[history.releases[CURRENT_VERSION][file]]).withContext(file).toBe(readFileSync(join(root, file), 'utf8'));
    }
  });

  it('records an options object per folder that rebuilds the same files', () => {
    const options: RenderOptions = optionsOf({ renewal: 'iframe', storage: 'local' });
    const a = renderRelease(releaseOf(CURRENT_VERSION)!, options, { authPath: AUTH, silentRenewPath: 'public', vitestImports: true });
    expect([...a.keys()].filter((p) => p.startsWith('public/'))).toEqual(['public/silent-renew.html', 'public/silent-renew.js']);
  });
});

export type { UnitTestTree };

describe('ng update ngx-auth-renew, a --bff folder of 0.3.0', () => {
  const SERVER = 'src/server/bff';
  const context = { authPath: AUTH, silentRenewPath: 'src', vitestImports: true, serverPath: SERVER };

  /** ng22-ssr as 0.3.0's `ng add --bff` left it: today's wiring (the same in both), 0.3.0's files and record. */
  async function bff030(): Promise<UnitTestTree> {
    const tree = await runAuthRenew(loadFixture('ng22-ssr'), { bff: true });
    for (const path of tree.files.filter((f) => f.startsWith(`/${SERVER}/`) || (f.startsWith(`/${AUTH}/`) && !f.endsWith('.json')))) {
      tree.delete(path);
    }
    for (const [path, content] of renderRelease(releaseOf('0.3.0')!, optionsOf({ bff: true }), context)) {
      tree.create(path, content);
    }
    const recordPath = `/${AUTH}/ngx-auth-renew.json`;
    tree.overwrite(recordPath, tree.readText(recordPath).replace(`"version": "${CURRENT_VERSION}"`, '"version": "0.3.0"'));
    return tree;
  }

  it('untouched: every file becomes the installed release\'s; an edit of api-proxy.ts is merged into the new file; a second run changes nothing', async () => {
    const tree = await bff030();
    const proxyPath = `/${SERVER}/api-proxy.ts`;
    const edited = tree.readText(proxyPath).replace("  'retry-after',\n", "  'retry-after',\n  'x-request-id',\n");
    expect(edited).not.toBe(tree.readText(proxyPath));
    tree.overwrite(proxyPath, edited);
    const { entries } = await logged(() => ngUpdate(tree, '0.3.0'));
    const expected = renderRelease(releaseOf(CURRENT_VERSION)!, optionsOf({ bff: true }), context);
    const files = filesUnder(tree, AUTH, SERVER);
    delete files[`/${AUTH}/ngx-auth-renew.json`];
    expect(Object.keys(files).sort()).toEqual([...expected.keys()].map((p) => `/${p}`).sort());
    for (const [path, content] of expected) {
      const want = path === proxyPath.slice(1) ? content.toString().replace("  'retry-after',\n", "  'retry-after',\n  'x-request-id',\n") : content.toString();
      expect(files[`/${path}`]).withContext(path).toBe(want);
    }
    expect(files[proxyPath]).toContain("'x-request-id'");
    expect(entries.some((e) => e.message.includes(`from 0.3.0 to ${CURRENT_VERSION}`))).toBe(true);
    expect(JSON.parse(tree.readText(`/${AUTH}/ngx-auth-renew.json`)).version).toBe(CURRENT_VERSION);
    const once = snapshot(tree);
    await ngUpdate(tree, '0.3.0');
    expect(changedFiles(once, snapshot(tree))).toEqual([]);
  });
});
