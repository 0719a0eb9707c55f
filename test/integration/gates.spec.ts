import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, newWorkspace, packTarball, plain, run, sh } from './cli';

/**
 * The app's own gates, on one `ng new --skip-install` workspace per Angular CLI version:
 * - format: the workspace, made prettier-clean with its own config (the CLI's printWidth 100) and a
 *   one-line `cli.schematicCollections`, passes `prettier --check .` before and after `ng add` and
 *   `ng generate` (CLI 20 and 21.0 run no prettier after schematics, so the edits must already be
 *   in prettier's form; CLI 22 formats with the prettier it resolves, here this repository's);
 * - options: every option of the README's table, kebab-case on the command line of `ng add` and of
 *   `ng generate auth-renew`, each at a non-default value somewhere, takes effect in the written files.
 *
 * The package is installed from the packed tarball with `npm install --no-save`, on a manifest
 * without the app's dependencies for the moment (the schematics need no Angular package installed);
 * `ng add ngx-auth-renew` then finds it installed and runs its schematic, as after its own install.
 */
jasmine.DEFAULT_TIMEOUT_INTERVAL = 15 * 60_000;

const VERSIONS: [string, string][] = [['20', '20.3.41'], ['21.0', '21.0.6'], ['22', '22.2.7']];

function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

function installTarball(dir: string, tarball: string): void {
  const manifest = read(dir, 'package.json');
  const { name, version } = JSON.parse(manifest);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version, private: true }));
  try {
    sh('npm', ['install', tarball, '--no-save', '--no-package-lock', '--ignore-scripts'], dir);
  } finally {
    writeFileSync(join(dir, 'package.json'), manifest);
  }
}

/** `prettier --check .` with this repository's prettier and the workspace's own config; the files it names. */
function prettierCheck(dir: string): string[] {
  const { status, output } = run('prettier', ['--check', '.'], dir);
  const unformatted = [...plain(output).matchAll(/^\[warn\] (?!Code style)(.+)$/gm)].map((m) => m[1]);
  expect(status === 0).toBe(unformatted.length === 0);
  return unformatted;
}

function specs(dir: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith('.spec.ts'));
}

for (const [label, version] of VERSIONS) {
  describe(`the app's gates with Angular CLI ${label} (${version})`, () => {
    const name = `gates${label.replace('.', '')}`;
    const ng = (dir: string, args: string[]) => plain(sh('npx', ['-y', '-p', `@angular/cli@${version}`, 'ng', ...args], dir));
    let dir: string;

    beforeAll(() => {
      const tarball = packTarball();
      dir = copyWorkspace(newWorkspace(version, name, ['--defaults', '--skip-install']), name);
      const angularJson = JSON.parse(read(dir, 'angular.json'));
      angularJson.cli = { ...angularJson.cli, schematicCollections: ['@schematics/angular'] };
      writeFileSync(join(dir, 'angular.json'), JSON.stringify(angularJson, null, 2) + '\n');
      sh('prettier', ['--write', '.'], dir);
      installTarball(dir, tarball);
    });

    it('prettier --check passes before and after ng add and ng generate; every option takes effect', () => {
      expect(read(dir, 'angular.json')).toContain('\n    "schematicCollections": ["@schematics/angular"]\n');
      expect(prettierCheck(dir)).toEqual([]);

      // ng add: flow, renewal, renew-before, scope, storage, path, skip-tests, skip-install at non-defaults.
      ng(dir, ['add', 'ngx-auth-renew', '--skip-confirmation', '--project', name,
        '--authority', 'https://id.example.com/tenant/', '--client-id', 'spa-a', '--flow', 'implicit',
        '--renewal', 'iframe', '--renew-before', '10', '--scope', 'openid profile api', '--storage', 'local',
        '--path', 'src/app/auth-a', '--provider', 'keycloak', '--skip-tests', '--skip-install']);
      expect(prettierCheck(dir)).toEqual([]);
      expect(read(dir, 'angular.json')).toContain('\n    "schematicCollections": ["@schematics/angular", "ngx-auth-renew"]\n');

      const a = read(dir, 'src/app/auth-a/auth.config.ts');
      expect(JSON.parse(read(dir, 'src/app/auth-a/ngx-auth-renew.json')).options).toEqual(jasmine.objectContaining(
        { flow: 'implicit', renewal: 'iframe', storage: 'local', renewBefore: 10, skipTests: true, provider: 'keycloak' }));
      expect(a).toContain(`authority: 'https://id.example.com/tenant/'`);
      expect(a).toContain(`clientId: 'spa-a'`);
      expect(a).toContain('renewBeforeSeconds: 10');
      expect(a).toContain(`scope: 'openid profile api'`);
      expect(a).toContain(`storage: 'local'`);
      expect(specs(join(dir, 'src/app/auth-a'))).toEqual([]);
      expect(existsSync(join(dir, 'src/app/auth-a/silent-renew-frame.ts'))).toBe(true);
      expect(existsSync(join(dir, 'public/silent-renew.html'))).toBe(true);
      expect(existsSync(join(dir, 'public/silent-renew.js'))).toBe(true);
      expect(read(dir, 'angular.json')).not.toContain('silent-renew');
      const manifest = JSON.parse(read(dir, 'package.json'));
      expect(manifest.dependencies.oauth4webapi).toBe('^3.8.0');
      expect(manifest.dependencies.jose).toBe('^6.1.0');
      expect(existsSync(join(dir, 'node_modules/oauth4webapi'))).toBe(false);
      const root = ['src/app/app.config.ts', 'src/app/app-module.ts', 'src/app/app.module.ts'].find((f) => existsSync(join(dir, f)))!;
      expect(read(dir, root)).toContain(`from './auth-a/provide-auth'`);

      // --overwrite through ng add: another storage for the same folder is applied.
      ng(dir, ['add', 'ngx-auth-renew', '--skip-confirmation', '--authority', 'https://id.example.com/tenant/',
        '--client-id', 'spa-a', '--flow', 'implicit', '--renewal', 'iframe', '--renew-before', '10',
        '--scope', 'openid profile api', '--storage', 'session', '--path', 'src/app/auth-a', '--skip-tests',
        '--skip-install', '--overwrite']);
      expect(read(dir, 'src/app/auth-a/auth.config.ts')).toContain(`storage: 'session'`);

      // ng generate as typed (the collection ng add registered): dpop, memory storage, renew-before 0.
      const generate = ['generate', 'auth-renew', '--project', name, '--authority', 'http://localhost:9000',
        '--client-id', 'spa-b', '--flow', 'code', '--renewal', 'refresh-token', '--renew-before', '0',
        '--scope', 'openid offline_access', '--path', 'src/app/auth-b', '--dpop', '--provider', 'auth0',
        '--audience', 'https://api.example.com/', '--skip-install'];
      ng(dir, [...generate, '--storage', 'memory']);
      expect(prettierCheck(dir)).toEqual([]);
      const b = read(dir, 'src/app/auth-b/auth.config.ts');
      expect(JSON.parse(read(dir, 'src/app/auth-b/ngx-auth-renew.json')).options).toEqual(jasmine.objectContaining(
        { flow: 'code', renewal: 'refresh-token', storage: 'memory', dpop: true, renewBefore: 0, provider: 'auth0',
          audience: 'https://api.example.com/' }));
      expect(b).toContain(`audience: 'https://api.example.com/'`);
      expect(b).toContain('renewBeforeSeconds: 0');
      expect(b).toContain(`storage: 'memory'`);
      expect(b).toContain(`scope: 'openid offline_access'`);
      expect(b).toContain(`clientId: 'spa-b'`);
      expect(existsSync(join(dir, 'src/app/auth-b/dpop.ts'))).toBe(true);
      expect(specs(join(dir, 'src/app/auth-b'))).toContain('auth.service.spec.ts');
      expect(read(dir, root)).toContain(`from './auth-b/provide-auth'`);
      expect(existsSync(join(dir, 'node_modules/jose'))).toBe(false);

      ng(dir, [...generate, '--storage', 'session', '--overwrite']);
      expect(read(dir, 'src/app/auth-b/auth.config.ts')).toContain(`storage: 'session'`);
      expect(prettierCheck(dir)).toEqual([]);
    });
  });
}
