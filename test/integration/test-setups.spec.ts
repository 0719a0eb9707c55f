import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyWorkspace, karmaChrome, newWorkspace, packTarball, plain, run, sh, testCount } from './cli';

/**
 * The generated specs in the test setups apps have besides the defaults of ng-add.spec.ts: Vitest
 * without globals, Zone.js on Angular 22, zoneless Karma on Angular 20. Each: ng add of the packed
 * tarball, ng build, ng test; every `it(` in the workspace must pass.
 */
jasmine.DEFAULT_TIMEOUT_INTERVAL = 20 * 60_000;

const AUTHORITY = ['--authority', 'http://localhost:9000', '--client-id', 'spa'];

function edit(file: string, change: (text: string) => string): string {
  const text = change(readFileSync(file, 'utf8'));
  writeFileSync(file, text);
  return text;
}

/** Vitest's summary: passed tests; throws when the count is missing or any failed. */
function vitestPassed(output: string): number {
  const text = plain(output);
  expect(text).not.toMatch(/\d+ failed/);
  return Number(/Tests\s+(\d+) passed/.exec(text)?.[1] ?? -1);
}

function karmaPassed(output: string): number {
  const text = plain(output);
  expect(text).not.toMatch(/FAILED/);
  return Number(/TOTAL: (\d+) SUCCESS/.exec(text)?.[1] ?? -1);
}

describe('Angular 22, Vitest with globals: false, run again after the user edited the files', () => {
  it('the specs import what they call and pass; a re-run keeps the edits; other options change nothing', () => {
    const tarball = packTarball();
    const dir = copyWorkspace(newWorkspace('22.2.7', 'app22', ['--defaults']), 'ng22-no-globals');
    writeFileSync(join(dir, 'vitest.config.ts'),
      `import { defineConfig } from 'vitest/config';\n\nexport default defineConfig({ test: { globals: false } });\n`);
    edit(join(dir, 'angular.json'), (json) => json.replace(
      '"builder": "@angular/build:unit-test"',
      '"builder": "@angular/build:unit-test",\n          "options": { "runnerConfig": "vitest.config.ts" }'));
    // An app without globals imports them in its own spec too.
    edit(join(dir, 'src', 'app', 'app.spec.ts'),
      (text) => `import { beforeEach, describe, expect, it } from 'vitest';\n${text}`);

    sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY], dir);
    const auth = join(dir, 'src', 'app', 'auth');
    const config = edit(join(auth, 'auth.config.ts'),
      (text) => text.replace(/secureRoutes: \[\],/, `secureRoutes: ['http://localhost:9000/api/'],`));
    expect(config).toContain(`secureRoutes: ['http://localhost:9000/api/'],`);
    const service = edit(join(auth, 'auth.service.ts'), (text) => text.replace(
      'unscheduleRenewal(): void {', 'unscheduleRenewal(): void {\n    // stops the timer only: the session stays'));

    const again = sh('ng', ['generate', 'auth-renew', '--defaults', ...AUTHORITY], dir);
    expect(again).toContain('left your edited src/app/auth/auth.config.ts, src/app/auth/auth.service.ts as they are');
    expect(again).not.toMatch(/^(CREATE|UPDATE|DELETE) /m);
    expect(readFileSync(join(auth, 'auth.config.ts'), 'utf8')).toBe(config);
    expect(readFileSync(join(auth, 'auth.service.ts'), 'utf8')).toBe(service);

    const other = run('ng', ['generate', 'auth-renew', '--defaults', ...AUTHORITY, '--renewal', 'iframe'], dir);
    expect(other.status).not.toBe(0);
    expect(plain(other.output)).toContain('--flow code --renewal iframe --storage session would replace ' +
      'auth.config.ts (edited since generated), renew.spec.ts, renew.ts; add silent-renew-frame.spec.ts, ' +
      'silent-renew-frame.ts, public/silent-renew.html, public/silent-renew.js. Nothing was changed');
    expect(readFileSync(join(auth, 'auth.config.ts'), 'utf8')).toBe(config);
    expect(existsSync(join(auth, 'silent-renew-frame.ts'))).toBe(false);

    sh('ng', ['build'], dir);
    const test = sh('ng', ['test', '--watch=false'], dir);
    expect(vitestPassed(test)).toBe(testCount(join(dir, 'src')));
  });
});

describe('Angular 22 with Zone.js (ng new --zoneless=false), Vitest', () => {
  it('ng add (iframe renewal), ng build and ng test pass', () => {
    const tarball = packTarball();
    const dir = copyWorkspace(newWorkspace('22.2.7', 'app22zone', ['--defaults', '--zoneless=false']), 'ng22-zone');
    expect(readFileSync(join(dir, 'angular.json'), 'utf8')).toContain('"zone.js"');
    sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY, '--renewal', 'iframe'], dir);
    sh('ng', ['build'], dir);
    expect(vitestPassed(sh('ng', ['test', '--watch=false'], dir))).toBe(testCount(join(dir, 'src')));
  });
});

describe('Angular 20 zoneless (ng new --zoneless), Karma/Jasmine', () => {
  it('ng add, ng build and ng test pass without Zone.js', () => {
    const tarball = packTarball();
    const dir = copyWorkspace(newWorkspace('20.3.41', 'app20zl', ['--defaults', '--zoneless']), 'ng20-zoneless');
    expect(readFileSync(join(dir, 'package.json'), 'utf8')).not.toContain('"zone.js"');
    sh('npx', ['ng', 'add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY], dir);
    sh('npx', ['ng', 'build'], dir);
    const test = sh('npx', ['ng', 'test', '--watch=false', '--browsers=ChromeHeadless'], dir, karmaChrome());
    expect(karmaPassed(test)).toBe(testCount(join(dir, 'src')));
  });
});

describe('Angular 22, Vitest browser mode (@vitest/browser-playwright on Debian chromium)', () => {
  it('ng add, ng build and ng test --browsers=chromiumHeadless pass in a real browser', () => {
    const tarball = packTarball();
    const dir = copyWorkspace(newWorkspace('22.2.7', 'app22', ['--defaults']), 'ng22-browser');
    const vitest = JSON.parse(readFileSync(join(dir, 'node_modules', 'vitest', 'package.json'), 'utf8')).version;
    // The provider's version must be the app's vitest's; playwright drives the system's chromium.
    sh('npm', ['install', '-D', `@vitest/browser-playwright@${vitest}`, 'playwright@1.65.1'], dir,
      { PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' });
    sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY, '--renewal', 'iframe'], dir);
    sh('ng', ['build'], dir);
    const test = sh('ng', ['test', '--watch=false', '--browsers=chromiumHeadless'], dir, { CHROME_BIN: '/usr/bin/chromium' });
    expect(plain(test)).toMatch(/chromium/i);
    expect(vitestPassed(test)).toBe(testCount(join(dir, 'src')));
  });
});

describe('Angular 21 zoneless, Karma through @angular/build:unit-test (ng new --test-runner=karma)', () => {
  it('ng add (implicit + iframe, local storage), ng build and ng test pass; the specs do not import vitest', () => {
    const tarball = packTarball();
    const dir = copyWorkspace(newWorkspace('21.2.27', 'app21karma', ['--defaults', '--test-runner=karma']), 'ng21-karma');
    expect(readFileSync(join(dir, 'angular.json'), 'utf8')).toContain('"runner": "karma"');
    sh('npx', ['ng', 'add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY,
      '--flow', 'implicit', '--renewal', 'iframe', '--storage', 'local'], dir);
    expect(readFileSync(join(dir, 'src', 'app', 'auth', 'auth.guard.spec.ts'), 'utf8')).not.toContain('vitest');
    sh('npx', ['ng', 'build'], dir);
    const test = sh('npx', ['ng', 'test', '--watch=false', '--browsers=ChromeHeadless'], dir, karmaChrome());
    expect(karmaPassed(test)).toBe(testCount(join(dir, 'src')));
  });
});
