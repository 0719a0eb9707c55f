import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, copyWorkspace, karmaChrome, newWorkspace, packTarball, sh, testCount } from './cli';

/**
 * What a user does: `ng new`, `ng add` of the packed tarball with flags (no prompts), then the
 * workspace's own `ng build` and `ng test` must pass with the generated code in it.
 */
jasmine.DEFAULT_TIMEOUT_INTERVAL = 20 * 60_000;

const AUTHORITY = ['--authority', 'http://localhost:9000', '--client-id', 'spa'];

function specCount(dir: string): number {
  return readdirSync(dir).filter((f) => f.endsWith('.spec.ts')).length;
}

describe('ng add on a fresh Angular 22 workspace (Node 24, Vitest)', () => {
  let tarball: string;
  let base: string;
  beforeAll(() => {
    tarball = packTarball();
    base = newWorkspace('22.2.7', 'app22', ['--defaults']);
  });

  const cases: [string, string[]][] = [
    ['code-refresh-token', ['--flow', 'code', '--renewal', 'refresh-token']],
    ['code-iframe', ['--flow', 'code', '--renewal', 'iframe']],
    ['implicit-iframe', ['--flow', 'implicit', '--renewal', 'iframe', '--storage', 'local']],
  ];
  for (const [id, flags] of cases) {
    it(`${id}: ng add, ng build and ng test --watch=false pass`, () => {
      const dir = copyWorkspace(base, `ng22-${id}`);
      const added = sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY, ...flags], dir)
        .replace(/\x1b\[[0-9;]*m/g, '').split('\n');
      // The next steps and the provider check run once the files are written: after the list of files.
      const lastFile = added.map((line) => /^(CREATE|UPDATE) /.test(line)).lastIndexOf(true);
      const stepsAt = added.findIndex((line) => line.includes('ngx-auth-renew: next steps'));
      const checkAt = added.findIndex((line) => line.includes('ngx-auth-renew: could not read http://localhost:9000/.well-known/openid-configuration'));
      expect(lastFile).toBeGreaterThan(0);
      expect(stepsAt).toBeGreaterThan(lastFile);
      expect(checkAt).toBeGreaterThan(stepsAt);

      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      expect(pkg.devDependencies['ngx-auth-renew']).toBeTruthy();
      expect(pkg.dependencies['oauth4webapi']).toBe('^3.8.0');
      expect(existsSync(join(dir, 'node_modules', 'oauth4webapi', 'package.json'))).toBe(true);
      expect(readFileSync(join(dir, 'angular.json'), 'utf8')).toContain('"ngx-auth-renew"');

      sh('ng', ['build'], dir);
      const browser = join(dir, 'dist', 'app22', 'browser');
      const iframe = flags.includes('iframe');
      expect(existsSync(join(browser, 'silent-renew.html'))).toBe(iframe);
      expect(existsSync(join(browser, 'silent-renew.js'))).toBe(iframe);

      if (id === cases[0][0]) writeReadmeKitSpec(dir);
      const test = sh('ng', ['test', '--watch=false'], dir).replace(/\x1b\[[0-9;]*m/g, '');
      const files = Number(/Test Files\s+(\d+) passed/.exec(test)?.[1] ?? 0);
      expect(files).toBe(specCount(join(dir, 'src', 'app', 'auth')) + specCount(join(dir, 'src', 'app')));
      expect(Number(/Tests\s+(\d+) passed/.exec(test)?.[1] ?? 0)).toBe(testCount(join(dir, 'src')));
      expect(test).not.toMatch(/\d+ failed/);
    });
  }

  it('an app config with two providers on the last line, a trailing comma and another provideAuth: ours wired under an alias, ng build passes', () => {
    const dir = copyWorkspace(base, 'ng22-provider-shapes');
    writeFileSync(join(dir, 'src', 'app', 'other-auth.ts'), `import { InjectionToken, Provider } from '@angular/core';

export const OTHER_AUTH = new InjectionToken<unknown>('OTHER_AUTH');

/** Stands in for another library's provideAuth (AngularFire has one of that name). */
export function provideAuth(factory: () => unknown): Provider {
  return { provide: OTHER_AUTH, useFactory: factory };
}
`);
    const config = join(dir, 'src', 'app', 'app.config.ts');
    writeFileSync(config, `import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter } from '@angular/router';
import { routes } from './app.routes';
import { provideAuth } from './other-auth';

export const appConfig: ApplicationConfig = {
  providers: [
    provideAuth(() => 'other'),
    provideBrowserGlobalErrorListeners(), provideRouter(routes),
  ],
};
`);
    sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY], dir);
    // The CLI may run the workspace's prettier over the file: its lines are checked, not its layout.
    const wired = readFileSync(config, 'utf8');
    expect(wired).toContain(`import { provideAuth } from './other-auth';`);
    expect(wired).toContain(`import { provideAuth as provideAuthRenewal } from './auth/provide-auth';`);
    expect(wired).toContain(`import { authConfig } from './auth/auth.config';`);
    expect(wired.match(/provideAuth\(\(\) => 'other'\)|provideBrowserGlobalErrorListeners\(\)|provideRouter\(routes\)|provideAuthRenewal\(authConfig\)/g))
      .toEqual([`provideAuth(() => 'other')`, 'provideBrowserGlobalErrorListeners()', 'provideRouter(routes)', 'provideAuthRenewal(authConfig)']);
    sh('ng', ['build'], dir);
  });

  it('ng generate auth-renew works as typed after ng add (the collection is registered)', () => {
    const dir = copyWorkspace(base, 'ng22-generate');
    sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY], dir);
    const output = sh('ng', ['generate', 'auth-renew', '--defaults', ...AUTHORITY, '--path', 'src/app/session'], dir);
    expect(output).toContain('CREATE src/app/session/auth.service.ts');
    const again = sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY], dir);
    expect(again).not.toMatch(/^(CREATE|UPDATE) /m);
  });
});

describe('ng add on a fresh Angular 22 workspace with SSR (prerendered at build time)', () => {
  it('ng build prerenders the app on Node with provideAuth in the shared app config', () => {
    const tarball = packTarball();
    const base = newWorkspace('22.2.0', 'app22ssr', ['--defaults', '--ssr'], '22.2.0');
    const dir = copyWorkspace(base, 'ng22-ssr');
    sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY, '--renewal', 'iframe'], dir);
    const appConfig = readFileSync(join(dir, 'src', 'app', 'app.config.ts'), 'utf8');
    expect(appConfig).toContain('provideAuth(authConfig)');
    expect(readFileSync(join(dir, 'src', 'app', 'app.config.server.ts'), 'utf8')).toContain('appConfig');

    // Prerendering runs the app on the server platform, where window, location and storage do not
    // exist: the build fails if the generated code touches any of them there.
    const build = sh('ng', ['build'], dir);
    expect(build).toMatch(/Prerendered \d+ static route/);
    const page = readFileSync(join(dir, 'dist', 'app22ssr', 'browser', 'index.html'), 'utf8');
    expect(page).toContain('ng-server-context="ssg"');
    expect(existsSync(join(dir, 'dist', 'app22ssr', 'browser', 'silent-renew.html'))).toBe(true);
  });
});

describe('ng add on a fresh Angular 20 NgModule workspace', () => {
  it('ng add (iframe renewal), ng build and ng test (Karma/Jasmine) pass; the provider lands in AppModule', () => {
    const tarball = packTarball();
    const base = newWorkspace('20.3.41', 'app20', ['--defaults', '--no-standalone']);
    const dir = copyWorkspace(base, 'ng20-module-iframe');
    sh('npx', ['ng', 'add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY, '--renewal', 'iframe'], dir);
    expect(readFileSync(join(dir, 'src', 'app', 'app-module.ts'), 'utf8')).toContain('provideAuth(authConfig)');
    sh('npx', ['ng', 'build'], dir);
    expect(existsSync(join(dir, 'dist', 'app20', 'browser', 'silent-renew.html'))).toBe(true);

    const test = sh('npx', ['ng', 'test', '--watch=false', '--browsers=ChromeHeadless'], dir, karmaChrome());
    const total = /TOTAL: (\d+) SUCCESS/.exec(test.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(total).not.toBeNull();
    expect(Number(total?.[1])).toBe(testCount(join(dir, 'src')));
    expect(test).not.toMatch(/FAILED/);
  });
});

/**
 * The README's test-kit example ("Testing your app"), taken from README.md as it is, run as a spec
 * of the app's own (under the app's Vitest, globals off): it compiles and does what the README says.
 */
function writeReadmeKitSpec(dir: string): void {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const example = /```ts\n(TestBed\.configureTestingModule\([\s\S]*?)```/.exec(readme)?.[1];
  expect(example).withContext('the README\'s provideAuthTesting example').toBeDefined();
  writeFileSync(join(dir, 'src', 'app', 'readme-kit.spec.ts'), `import { describe, expect, it } from 'vitest';
import { TestBed } from '@angular/core/testing';
import { AuthService } from './auth/auth.service';
import { AuthTestingController, provideAuthTesting } from './auth/provide-auth-testing';

describe('the README example of the test kit', () => {
  it('runs as written', () => {
${example}
    const auth = TestBed.inject(AuthService);
    expect(auth.isAuthenticated()).toBe(false); // the example ends with endSession()
    expect(controller.logins).toEqual([]);
    controller.signIn({ claims: { name: 'Ada' }, accessToken: 'at2' });
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.accessToken()).toBe('at2');
  });
});
`);
}
