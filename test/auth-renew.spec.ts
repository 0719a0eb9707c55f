import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { parse } from 'jsonc-parser';
import { changedFiles, lineDiff, loadFixture, runAuthRenew, runner, snapshot } from './workspace-fixtures';

const COMMON = ['auth.config.ts', 'provide-auth.ts', 'oidc.ts', 'session-store.ts', 'renewal-scheduler.ts',
  'auth.service.ts', 'auth.interceptor.ts', 'auth.guard.ts', 'authorize.ts', 'renew.ts', 'secure-routes.ts',
  'tab-sync.ts'];

function generated(tree: UnitTestTree, folder: string): string[] {
  return tree.files.filter((f) => f.startsWith(`/${folder}/`)).map((f) => f.slice(folder.length + 2)).sort();
}

function buildAssets(tree: UnitTestTree, project: string, target = 'build'): unknown[] {
  const json = parse(tree.readText('/angular.json'));
  return json.projects[project].architect[target].options.assets;
}

/** The ng22 fixture with the build target's `public` folder entry replaced by `assets` (JSON text). */
function withAssets(assets: string): UnitTestTree {
  const tree = loadFixture('ng22');
  const text = tree.readText('/angular.json');
  const publicEntry = /"assets": \[\s*\{\s*"glob": "\*\*\/\*",\s*"input": "public"\s*\}\s*\]/;
  expect(text).toMatch(publicEntry);
  tree.overwrite('/angular.json', text.replace(publicEntry, `"assets": ${assets}`));
  return tree;
}

describe('auth-renew on Angular 22 (standalone, zoneless, Vitest)', () => {
  let before: UnitTestTree;
  beforeEach(() => (before = loadFixture('ng22')));

  it('writes the default scaffold (code + refresh-token) with a spec per file', async () => {
    const tree = await runAuthRenew(before);
    const files = generated(tree, 'src/app/auth');
    for (const file of COMMON) {
      expect(files).toContain(file);
      if (file !== 'auth.config.ts') {
        expect(files).toContain(file.replace(/\.ts$/, '.spec.ts'));
      }
    }
    expect(files).not.toContain('silent-renew-frame.ts');
    expect(tree.exists('/src/silent-renew.html')).toBe(false);
    expect(tree.readText('/src/app/auth/authorize.ts')).toContain('S256');
    expect(tree.readText('/src/app/auth/renew.ts')).toContain('refresh');
    expect(tree.readText('/src/app/auth/tab-sync.ts')).not.toContain("addEventListener('storage'");
  });

  it('--storage local: the tab-sync variant that follows other tabs and renews under a Web Lock', async () => {
    const tree = await runAuthRenew(before, { storage: 'local' });
    const tabSync = tree.readText('/src/app/auth/tab-sync.ts');
    expect(tabSync).toContain("addEventListener('storage'");
    expect(tabSync).toContain('locks.request');
  });

  it('renders the chosen options into auth.config.ts', async () => {
    const tree = await runAuthRenew(before, { renewBefore: 45, storage: 'local', scope: 'openid api' });
    const config = tree.readText('/src/app/auth/auth.config.ts');
    expect(config).toContain(`authority: 'https://id.example.com'`);
    expect(config).toContain(`clientId: 'spa'`);
    expect(config).toContain(`scope: 'openid api'`);
    expect(config).toContain('renewBeforeSeconds: 45');
    expect(config).toContain(`storage: 'local'`);
    expect(config).not.toContain('<%');
  });

  it('adds provideAuth(authConfig) to app.config.ts and changes no other line', async () => {
    const original = before.readText('/src/app/app.config.ts');
    const tree = await runAuthRenew(before);
    const { added, removed } = lineDiff(original, tree.readText('/src/app/app.config.ts'));
    const importLines = added.filter((l) => l.startsWith('import '));
    expect(importLines.sort()).toEqual([
      `import { authConfig } from './auth/auth.config';`,
      `import { provideAuth } from './auth/provide-auth';`,
    ]);
    // The provider goes on a line of its own after the last one, which gains a comma and nothing else.
    expect(removed).toEqual(['    provideRouter(routes)']);
    expect(added.filter((l) => !l.startsWith('import '))).toEqual(['    provideRouter(routes),', '    provideAuth(authConfig)']);
  });

  it('a providers array on one line (as prettier leaves a short one) gains the provider on that line', async () => {
    const oneLine = before.readText('/src/app/app.config.ts').replace(
      /providers: \[[^\]]*\]/, 'providers: [provideBrowserGlobalErrorListeners(), provideRouter(routes)]');
    before.overwrite('/src/app/app.config.ts', oneLine);
    const tree = await runAuthRenew(before);
    const { added, removed } = lineDiff(oneLine, tree.readText('/src/app/app.config.ts'));
    expect(removed).toEqual(['  providers: [provideBrowserGlobalErrorListeners(), provideRouter(routes)]']);
    expect(added.filter((l) => !l.startsWith('import '))).toEqual([
      '  providers: [provideBrowserGlobalErrorListeners(), provideRouter(routes), provideAuth(authConfig)]',
    ]);
  });

  it('touches only the scaffold, app.config.ts and package.json (one dependency line)', async () => {
    const start = snapshot(before);
    const tree = await runAuthRenew(before);
    const changed = changedFiles(start, snapshot(tree)).filter((f) => !f.startsWith('/src/app/auth/'));
    expect(changed).toEqual(['/package.json', '/src/app/app.config.ts']);
    const { added, removed } = lineDiff(start['/package.json'], tree.readText('/package.json'));
    expect(added.map((l) => l.trim().replace(/,$/, ''))).toContain('"oauth4webapi": "^3.8.0"');
    expect(added.length).toBeLessThanOrEqual(2); // the new line, and a comma added to its neighbour
    expect(removed.length).toBeLessThanOrEqual(1);
  });

  it('--dpop: the DPoP key and proof code, wired through authConfig.dpop, with jose to sign proofs', async () => {
    const plain = await runAuthRenew(loadFixture('ng22'));
    expect(plain.exists('/src/app/auth/dpop.ts')).toBe(false);
    expect(plain.readText('/src/app/auth/auth.config.ts')).not.toContain('dpop');
    const tree = await runAuthRenew(before, { dpop: true });
    expect(tree.exists('/src/app/auth/dpop.ts')).toBe(true);
    expect(tree.exists('/src/app/auth/dpop.spec.ts')).toBe(true);
    expect(tree.readText('/src/app/auth/auth.config.ts')).toContain(`  dpop: () => import('./dpop'),`);
    expect((tree.readJson('/package.json') as any).dependencies.jose).toBe('^6.1.0');
  });

  it('adds jose only for the implicit flow', async () => {
    const code = await runAuthRenew(loadFixture('ng22'));
    expect((code.readJson('/package.json') as any).dependencies.jose).toBeUndefined();
    const implicit = await runAuthRenew(before, { flow: 'implicit', renewal: 'iframe' });
    const deps = (implicit.readJson('/package.json') as any).dependencies;
    expect(deps.jose).toBe('^6.1.0');
    expect(deps.oauth4webapi).toBe('^3.8.0');
  });

  it('iframe renewal in an app that serves public/: silent-renew files in public/, angular.json unchanged', async () => {
    const angularJson = before.readText('/angular.json');
    const tree = await runAuthRenew(before, { renewal: 'iframe' });
    expect(generated(tree, 'src/app/auth')).toContain('silent-renew-frame.ts');
    const html = tree.readText('/public/silent-renew.html');
    expect(html).toContain('silent-renew.js');
    expect(html).not.toMatch(/<script>[^<]/); // no inline script: works under script-src 'self'
    expect(tree.readText('/public/silent-renew.js')).toContain('oidc-silent-renew-message');
    expect(tree.exists('/src/silent-renew.html')).toBe(false);
    expect(tree.readText('/angular.json')).toBe(angularJson);
  });

  it('iframe renewal in an app with string asset entries: files in sourceRoot, string entries, once', async () => {
    const tree = await runAuthRenew(withAssets('["src/assets"]'), { renewal: 'iframe' });
    expect(tree.exists('/src/silent-renew.html')).toBe(true);
    expect(tree.exists('/src/silent-renew.js')).toBe(true);
    expect(tree.exists('/public/silent-renew.html')).toBe(false);
    const once = tree.readText('/angular.json');
    // One line while it fits in the printWidth of the workspace's prettier config (100 here).
    expect(once).toContain('\n            "assets": ["src/assets", "src/silent-renew.html", "src/silent-renew.js"],\n');
    await runAuthRenew(tree, { renewal: 'iframe' });
    expect(tree.readText('/angular.json')).toBe(once);
  });

  it('a one-line assets list that would pass the printWidth is broken one entry a line, as prettier would', async () => {
    const tree = await runAuthRenew(withAssets('["src/favicon.ico", "src/assets"]'), { renewal: 'iframe' });
    expect(buildAssets(tree, 'ng22')).toEqual(['src/favicon.ico', 'src/assets', 'src/silent-renew.html', 'src/silent-renew.js']);
    expect(tree.readText('/angular.json')).toContain('\n            "assets": [\n              "src/favicon.ico",\n' +
      '              "src/assets",\n              "src/silent-renew.html",\n              "src/silent-renew.js"\n            ],\n');
  });

  it('iframe renewal in an app with object asset entries: object entries like them, one key a line like them', async () => {
    const before = withAssets('[\n              {\n                "glob": "**/*",\n                "input": "src/assets",\n' +
      '                "output": "/assets"\n              }\n            ]');
    const original = before.readText('/angular.json');
    const tree = await runAuthRenew(before, { renewal: 'iframe' });
    expect(buildAssets(tree, 'ng22')).toEqual([
      { glob: '**/*', input: 'src/assets', output: '/assets' },
      { glob: 'silent-renew.html', input: 'src', output: '/' },
      { glob: 'silent-renew.js', input: 'src', output: '/' },
    ]);
    const { added, removed } = lineDiff(original, tree.readText('/angular.json'));
    expect(removed).toEqual([]); // the entry's closing line gains a comma; the new last entry closes with one like it
    expect(added).toEqual(['              },', '              {', '                "glob": "silent-renew.html",',
      '                "input": "src",', '                "output": "/"', '              },', '              {',
      '                "glob": "silent-renew.js",', '                "input": "src",', '                "output": "/"']);
  });

  it('iframe renewal where an earlier run listed src/silent-renew.html: the files stay there, entries unchanged', async () => {
    const before = withAssets('[{ "glob": "**/*", "input": "public" }, "src/silent-renew.html", "src/silent-renew.js"]');
    const angularJson = before.readText('/angular.json');
    const tree = await runAuthRenew(before, { renewal: 'iframe' });
    expect(tree.exists('/src/silent-renew.html')).toBe(true);
    expect(tree.exists('/public/silent-renew.html')).toBe(false);
    expect(tree.readText('/angular.json')).toBe(angularJson);
  });

  it('code and implicit variants of silent-renew.js hand the parent the query or the fragment', async () => {
    const code = await runAuthRenew(loadFixture('ng22'), { renewal: 'iframe' });
    const implicit = await runAuthRenew(before, { flow: 'implicit', renewal: 'iframe' });
    expect(code.readText('/public/silent-renew.js')).toContain('location.href');
    expect(implicit.readText('/public/silent-renew.js')).toContain('location.hash');
    expect(code.readText('/public/silent-renew.js')).not.toContain('<%');
  });

  it('--skip-tests writes no spec file', async () => {
    const tree = await runAuthRenew(before, { skipTests: true });
    expect(generated(tree, 'src/app/auth').filter((f) => /\.(spec|testing)\.ts$/.test(f))).toEqual([]);
    expect(tree.exists('/src/app/auth/auth.service.ts')).toBe(true);
  });

  it('--path puts the files elsewhere and imports them from there', async () => {
    const tree = await runAuthRenew(before, { path: 'src/core/session' });
    expect(tree.exists('/src/core/session/auth.service.ts')).toBe(true);
    expect(tree.readText('/src/app/app.config.ts')).toContain(`from '../core/session/provide-auth'`);
  });

  it('schedules one install when it adds a dependency, none with --skip-install or when present', async () => {
    const { runner } = await import('./workspace-fixtures');
    const first = await runAuthRenew(before, { flow: 'implicit', renewal: 'iframe' });
    expect(runner.tasks.filter((t) => t.name === 'node-package').length).toBe(1);
    await runAuthRenew(first, { flow: 'implicit', renewal: 'iframe' });
    expect(runner.tasks.filter((t) => t.name === 'node-package').length).toBe(0);
    await runAuthRenew(loadFixture('ng22'), { skipInstall: true });
    expect(runner.tasks.filter((t) => t.name === 'node-package').length).toBe(0);
  });
});

describe('auth-renew is idempotent and never overwrites', () => {
  for (const options of [{}, { renewal: 'iframe' }, { flow: 'implicit', renewal: 'iframe' }]) {
    it(`a second run changes nothing (${JSON.stringify(options)})`, async () => {
      const once = await runAuthRenew(loadFixture('ng22'), options);
      const first = snapshot(once);
      const twice = await runAuthRenew(once, options);
      expect(changedFiles(first, snapshot(twice))).toEqual([]);
    });
  }

  it('stops on a user file of the same name, naming it and the way out, and writes nothing', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/app/auth/auth.service.ts', 'export class AuthService { mine = true; }\n');
    const start = snapshot(tree);
    await expectAsync(runAuthRenew(tree)).toBeRejectedWithError(
      'src/app/auth/auth.service.ts already exists and differs from what ngx-auth-renew writes; ' +
      'it was left untouched. Move or delete it, or pass --path <another folder>.');
    expect(snapshot(tree)).toEqual(start);
  });

  it('leaves a root provider file that already calls provideAuth alone', async () => {
    const once = await runAuthRenew(loadFixture('ng22'));
    const config = once.readText('/src/app/app.config.ts');
    once.delete('/src/app/auth/auth.service.ts');
    const again = await runAuthRenew(once);
    expect(again.readText('/src/app/app.config.ts')).toBe(config);
    expect(again.exists('/src/app/auth/auth.service.ts')).toBe(true);
  });
});

describe('auth-renew on other workspace shapes made by the CLI', () => {
  it('Angular 21 with the Karma runner: standalone wiring, silent-renew in public/, angular.json unchanged', async () => {
    const before = loadFixture('ng21-karma');
    const tree = await runAuthRenew(before, { renewal: 'iframe' });
    expect(tree.readText('/src/app/app.config.ts')).toContain('provideAuth(authConfig)');
    expect(tree.exists('/public/silent-renew.html')).toBe(true);
    expect(tree.readText('/angular.json')).toBe(loadFixture('ng21-karma').readText('/angular.json'));
  });

  it('Angular 20 NgModule app with Karma: provider in AppModule, silent-renew in public/ (served by build and test targets)', async () => {
    const before = loadFixture('ng20-module');
    const original = before.readText('/src/app/app-module.ts');
    const tree = await runAuthRenew(before, { renewal: 'iframe' });
    const module = tree.readText('/src/app/app-module.ts');
    expect(module).toContain('provideAuth(authConfig)');
    expect(module).toContain(`import { provideAuth } from './auth/provide-auth';`);
    const { added, removed } = lineDiff(original, module);
    expect(removed).toEqual(['    provideBrowserGlobalErrorListeners()']);
    expect(added.filter((l) => !l.startsWith('import '))).toEqual(['    provideBrowserGlobalErrorListeners(),', '    provideAuth(authConfig)']);
    expect(tree.exists('/public/silent-renew.js')).toBe(true);
    expect(tree.readText('/angular.json')).toBe(before.readText('/angular.json'));
    expect(tree.exists('/src/app/app.config.ts')).toBe(false);
  });

  it('Angular 20 NgModule app with src/assets: entries on the build and the Karma test target', async () => {
    const before = loadFixture('ng20-module');
    const publicEntry = /"assets": \[\s*\{\s*"glob": "\*\*\/\*",\s*"input": "public"\s*\}\s*\]/g;
    before.overwrite('/angular.json', before.readText('/angular.json').replace(publicEntry, '"assets": ["src/favicon.ico", "src/assets"]'));
    const tree = await runAuthRenew(before, { renewal: 'iframe' });
    expect(tree.exists('/src/silent-renew.js')).toBe(true);
    expect(buildAssets(tree, 'ng20-module')).toEqual(['src/favicon.ico', 'src/assets', 'src/silent-renew.html', 'src/silent-renew.js']);
    expect(buildAssets(tree, 'ng20-module', 'test')).toEqual(['src/favicon.ico', 'src/assets', 'src/silent-renew.html', 'src/silent-renew.js']);
  });

  it('custom sourceRoot (apps/shop/src): files follow it, silent-renew goes to its public folder', async () => {
    const tree = await runAuthRenew(loadFixture('multi'), { project: 'shop', renewal: 'iframe' });
    expect(tree.exists('/apps/shop/src/app/auth/auth.service.ts')).toBe(true);
    expect(tree.exists('/apps/shop/public/silent-renew.html')).toBe(true);
    expect(buildAssets(tree, 'shop')).toEqual([{ glob: '**/*', input: 'apps/shop/public' }]);
    expect(tree.readText('/apps/shop/src/app/app.config.ts')).toContain('provideAuth(authConfig)');
  });

  it('multi-project workspace: only the chosen project changes; the first application by default', async () => {
    const start = loadFixture('multi');
    const admin = await runAuthRenew(loadFixture('multi'));
    expect(admin.exists('/projects/admin/src/app/auth/auth.service.ts')).toBe(true);
    const chosen = await runAuthRenew(start, { project: 'shop' });
    const changed = changedFiles(snapshot(loadFixture('multi')), snapshot(chosen));
    expect(changed.every((f) => f.startsWith('/apps/shop/') || f === '/package.json')).toBe(true);
  });

  it('angular.json with comments: comments and formatting kept, entries added', async () => {
    const tree = withAssets('[\n              "src/favicon.ico", // the icon\n              "src/assets"\n            ]');
    const commented = tree.readText('/angular.json')
      .replace('"version": 1,', '// managed by hand, keep this note\n  "version": 1,')
      .replace('"styles": [', '/* global styles */ "styles": [');
    tree.overwrite('/angular.json', commented);
    const after = (await runAuthRenew(tree, { renewal: 'iframe' })).readText('/angular.json');
    expect(lineDiff(commented, after)).toEqual({
      added: ['              "src/assets",', '              "src/silent-renew.html",', '              "src/silent-renew.js"'],
      removed: ['              "src/assets"'],
    });
    expect(buildAssets(tree, 'ng22')).toEqual(['src/favicon.ico', 'src/assets', 'src/silent-renew.html', 'src/silent-renew.js']);
  });
});

describe('auth-renew after the Angular CLI formatted its output with prettier', () => {
  // Angular CLI 21+ runs the workspace's prettier over every file a schematic wrote or changed.
  async function formatLikeTheCli(tree: UnitTestTree, paths: string[]): Promise<void> {
    const prettier = await import('prettier');
    const config = JSON.parse(tree.readText('/.prettierrc'));
    for (const path of paths) {
      const formatted = await prettier.format(tree.readText(path), { ...config, filepath: path });
      tree.overwrite(path, formatted);
    }
  }

  const configs = [undefined, { printWidth: 120 }, { printWidth: 80, singleQuote: false, semi: false, trailingComma: 'none' }];
  for (const config of configs) {
    for (const options of [{}, { flow: 'implicit', renewal: 'iframe' }, { storage: 'local', dpop: true }]) {
      it(`a second run changes nothing and calls no file edited (${JSON.stringify(options)}, prettier ${JSON.stringify(config ?? 'of ng new')})`, async () => {
        const workspace = loadFixture('ng22');
        if (config) workspace.overwrite('/.prettierrc', JSON.stringify(config));
        const start = snapshot(workspace);
        const once = await runAuthRenew(workspace, options);
        await formatLikeTheCli(once, changedFiles(start, snapshot(once)));
        const formatted = snapshot(once);
        const messages: string[] = [];
        const subscription = runner.logger.subscribe((e) => messages.push(e.message));
        const twice = await runAuthRenew(once, options).finally(() => subscription.unsubscribe());
        expect(changedFiles(formatted, snapshot(twice))).toEqual([]);
        expect(messages.filter((m) => /edited|merged|conflict/.test(m))).toEqual([]);
      });
    }
  }

  it('keeps a generated file the user changed in more than formatting', async () => {
    const once = await runAuthRenew(loadFixture('ng22'));
    const guard = once.readText('/src/app/auth/auth.guard.ts').replace('return false', 'return true');
    once.overwrite('/src/app/auth/auth.guard.ts', guard);
    await runAuthRenew(once);
    expect(once.readText('/src/app/auth/auth.guard.ts')).toBe(guard);
  });
});

describe('generated files are prettier-clean with the config of ng new', () => {
  for (const options of [{}, { renewal: 'iframe' }, { flow: 'implicit', renewal: 'iframe', storage: 'memory' }]) {
    it(`so the CLI's formatting pass leaves them as written (${JSON.stringify(options)})`, async () => {
      const prettier = await import('prettier');
      const before = loadFixture('ng22');
      const config = JSON.parse(before.readText('/.prettierrc'));
      const start = snapshot(before);
      const tree = await runAuthRenew(before, options);
      const written = changedFiles(start, snapshot(tree)).filter((f) => !start[f]);
      expect(written.length).toBeGreaterThan(10);
      for (const path of written) {
        const text = tree.readText(path);
        expect(await prettier.format(text, { ...config, filepath: path })).withContext(path).toBe(text);
      }
    });
  }
});

describe('auth-renew messages', () => {
  async function logged(options: Record<string, unknown>): Promise<{ level: string; message: string }[]> {
    const { runner, runWithTasks, BASE_OPTIONS } = await import('./workspace-fixtures');
    const entries: { level: string; message: string }[] = [];
    const subscription = runner.logger.subscribe((entry) => entries.push({ level: entry.level, message: entry.message }));
    await runWithTasks('auth-renew', { ...BASE_OPTIONS, ...options }, loadFixture('ng22'));
    subscription.unsubscribe();
    return entries;
  }

  it('tells the redirect URIs to register, and how to wire the interceptor', async () => {
    const entries = await logged({ renewal: 'iframe' });
    const info = entries.filter((e) => e.level === 'info').map((e) => e.message).join('\n');
    expect(info).toContain('allow client "spa" the redirect URIs <origin>/ and <origin>/silent-renew.html');
    expect(info).toContain('provideHttpClient(withInterceptors([authInterceptor]))');
    expect(entries.some((e) => e.level === 'warn')).toBe(false);
  });

  it('warns that the implicit flow is deprecated by RFC 9700', async () => {
    const entries = await logged({ flow: 'implicit', renewal: 'iframe' });
    expect(entries.filter((e) => e.level === 'warn').map((e) => e.message).join()).toContain('deprecated by RFC 9700');
  });
});
