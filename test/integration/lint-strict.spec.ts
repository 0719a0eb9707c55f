import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { copyWorkspace, newWorkspace, packTarball, plain, run, sh, testCount } from './cli';

/**
 * The gates an app puts on its own code hold for the generated code, in every option shape, in
 * ONE Angular 22 workspace: one folder per shape (`ng g auth-renew --path src/app/auth-<shape>`);
 * then angular-eslint's default config (`ng lint`), the strictest compiler flags (tsc), and the
 * generated specs under a test runner that resets nothing between tests.
 */
jasmine.DEFAULT_TIMEOUT_INTERVAL = 10 * 60_000;

/** The angular-eslint release that `ng add angular-eslint` installs for Angular 22 here. */
const ANGULAR_ESLINT = '22.5.0';
const AUTHORITY = ['--authority', 'https://id.example.com', '--client-id', 'spa'];

/** Folder → options, every shape: flow × renewal × storage × dpop (code + refresh-token only). */
const CODE_SHAPES: [string, string[]][] = [
  ['auth-code-rt-session', []],
  ['auth-code-rt-session-dpop', ['--dpop']],
  ['auth-code-rt-local', ['--storage', 'local']],
  ['auth-code-rt-local-dpop', ['--storage', 'local', '--dpop']],
  ['auth-code-rt-memory', ['--storage', 'memory']],
  ['auth-code-rt-memory-dpop', ['--storage', 'memory', '--dpop']],
  ['auth-code-iframe-session', ['--renewal', 'iframe']],
  ['auth-code-iframe-local', ['--renewal', 'iframe', '--storage', 'local']],
  ['auth-code-iframe-memory', ['--renewal', 'iframe', '--storage', 'memory']],
  // The provider presets: their auth.config.ts (logoutUrl functions, session limits, parameters).
  ['auth-preset-auth0', ['--provider', 'auth0', '--audience', 'https://api.example.com']],
  ['auth-preset-entra', ['--provider', 'entra']],
  ['auth-preset-cognito', ['--provider', 'cognito']],
  ['auth-preset-keycloak', ['--provider', 'keycloak']],
];
const IMPLICIT_SHAPES: [string, string[]][] = [
  ['auth-implicit-iframe-session', ['--flow', 'implicit', '--renewal', 'iframe']],
  ['auth-implicit-iframe-local', ['--flow', 'implicit', '--renewal', 'iframe', '--storage', 'local']],
  ['auth-implicit-iframe-memory', ['--flow', 'implicit', '--renewal', 'iframe', '--storage', 'memory']],
  ['auth-preset-google', ['--provider', 'google', '--flow', 'implicit', '--renewal', 'iframe']],
];
const FOLDERS = [...CODE_SHAPES, ...IMPLICIT_SHAPES].map(([folder]) => folder);
/** Between them, every spec file any shape generates (flow, renewal, storage variant, dpop). */
const SPEC_FOLDERS = ['auth-code-rt-local-dpop', 'auth-code-iframe-session', 'auth-implicit-iframe-memory'];

interface EslintResult {
  filePath: string;
  messages: { line: number; ruleId: string | null; message: string }[];
}

/** `ng lint` (JSON output) lints every file of `generated` and finds no problem in any file. */
function expectLintClean(dir: string, generated: string[]): void {
  const lint = run('ng', ['lint', '--format', 'json', '--output-file', 'lint.json'], dir);
  const results = JSON.parse(readFileSync(join(dir, 'lint.json'), 'utf8')) as EslintResult[];
  const linted = new Set(results.map((r) => relative(dir, r.filePath)));
  expect(generated.filter((file) => !linted.has(file))).withContext('files ng lint did not lint').toEqual([]);
  const problems = results.flatMap((r) =>
    r.messages.map((m) => `${relative(dir, r.filePath)}:${m.line} ${m.ruleId ?? ''} ${m.message}`));
  expect(problems).toEqual([]);
  expect(lint.status).withContext(plain(lint.output)).toBe(0);
}

/** The app and its specs compile with the strictest compiler flags an app may set. */
function expectStrictCompile(dir: string): void {
  for (const target of ['app', 'spec']) {
    writeFileSync(join(dir, `tsconfig.strict-${target}.json`), JSON.stringify({
      extends: `./tsconfig.${target}.json`,
      compilerOptions: {
        noEmit: true,
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        noPropertyAccessFromIndexSignature: true,
        exactOptionalPropertyTypes: true,
      },
    }, null, 2));
    const tsc = run('npx', ['tsc', '-p', `tsconfig.strict-${target}.json`], dir);
    expect(plain(tsc.output).split('\n').filter((line) => / error TS\d+/.test(line))).withContext(target).toEqual([]);
    expect(tsc.status).withContext(`tsc -p tsconfig.strict-${target}.json: ${plain(tsc.output)}`).toBe(0);
  }
}

describe('the generated code in every shape, in one Angular 22 workspace with angular-eslint', () => {
  let dir: string;
  let app: string;
  /** The generated .ts files, relative to the workspace. */
  let generated: string[];

  beforeAll(() => {
    const tarball = packTarball();
    dir = copyWorkspace(newWorkspace('22.2.7', 'app22', ['--defaults']), 'ng22-gates');
    app = join(dir, 'src', 'app');
    sh('ng', ['add', `angular-eslint@${ANGULAR_ESLINT}`, '--skip-confirmation'], dir);
    const [first, ...others] = CODE_SHAPES;
    // The generated code's dependencies are installed once, at the end.
    sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY, '--skip-install',
      '--path', `src/app/${first[0]}`, ...first[1]], dir);
    const generate = ([folder, flags]: [string, string[]]) =>
      sh('ng', ['g', 'auth-renew', '--defaults', ...AUTHORITY, '--skip-install', '--path', `src/app/${folder}`, ...flags], dir);
    others.forEach((shape) => generate(shape));
    // The implicit flow's silent-renew page differs from the code flow's and the scaffold never
    // overwrites a file it did not write for these options: the app keeps one (the last) of them.
    // Both live in public/ (the folder the app serves), outside what this spec checks (.ts files in the auth folders).
    rmSync(join(dir, 'public', 'silent-renew.html'));
    rmSync(join(dir, 'public', 'silent-renew.js'));
    IMPLICIT_SHAPES.forEach(generate);
    sh('npm', ['install'], dir);
    generated = FOLDERS.flatMap((folder) =>
      readdirSync(join(app, folder)).filter((f) => f.endsWith('.ts')).map((f) => `src/app/${folder}/${f}`));
  });

  it('ng g wrote every shape, each with its own config type file', () => {
    for (const folder of FOLDERS) {
      expect(readFileSync(join(app, folder, 'auth-config.ts'), 'utf8')).toContain('export const AUTH_CONFIG');
    }
    // Since 0.3.0 the options are recorded in ngx-auth-renew.json (no marker line in auth.config.ts).
    expect(JSON.parse(readFileSync(join(app, 'auth-code-rt-local-dpop', 'ngx-auth-renew.json'), 'utf8')).options)
      .toEqual(jasmine.objectContaining({ flow: 'code', renewal: 'refresh-token', storage: 'local', dpop: true }));
    expect(readFileSync(join(app, 'auth-preset-cognito', 'auth.config.ts'), 'utf8')).toContain('logoutUrl: ');
    expect(generated.length).toBeGreaterThan(FOLDERS.length * 20);
  });

  it('ng lint (angular-eslint defaults: typescript-eslint recommended + stylistic) finds no problem in them', () => {
    // The builder resolves --output-file against the workspace root.
    expectLintClean(dir, generated);
  });

  it('the app and its specs compile with noUnusedLocals, noUnusedParameters, exactOptionalPropertyTypes, ...', () => {
    // Code of the user's that imports the config's type and token from provide-auth.ts, where they
    // were before auth-config.ts, still compiles.
    writeFileSync(join(app, 'reexports.ts'), [
      `import { AUTH_CONFIG, type AuthConfig, type DpopSupport } from './auth-code-rt-session-dpop/provide-auth';`,
      '',
      'export const token = AUTH_CONFIG;',
      'export type Config = AuthConfig;',
      'export type Dpop = DpopSupport;',
      '',
    ].join('\n'));
    expectStrictCompile(dir);
  });

  it('the specs pass in random order with no TestBed reset between tests and one module instance for all files', () => {
    // Plain Vitest, as an app without Angular's test target runs it (e.g. @analogjs/vitest-angular):
    // with globals off, @angular/core/testing registers no automatic TestBed reset.
    writeFileSync(join(dir, 'src', 'hostile-test-setup.ts'), [
      `import '@angular/compiler';`,
      `import { getTestBed } from '@angular/core/testing';`,
      `import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';`,
      '',
      '// Runs before each file; all files share one module instance: initialize once.',
      'const testBed = getTestBed();',
      'if (!testBed.platform) testBed.initTestEnvironment(BrowserTestingModule, platformBrowserTesting());',
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'vitest.hostile.config.ts'), [
      `import { defineConfig } from 'vitest/config';`,
      '',
      'export default defineConfig({',
      '  test: {',
      '    globals: false,',
      `    environment: 'jsdom',`,
      `    include: ${JSON.stringify(SPEC_FOLDERS.map((folder) => `src/app/${folder}/*.spec.ts`))},`,
      `    setupFiles: ['src/hostile-test-setup.ts'],`,
      '    isolate: false,',
      '    sequence: { shuffle: { files: true, tests: true } },',
      '  },',
      '});',
      '',
    ].join('\n'));
    const vitest = run('npx', ['vitest', 'run', '--config', 'vitest.hostile.config.ts'], dir);
    const output = plain(vitest.output);
    const seed = /seed "?(\d+)/.exec(output)?.[1];
    expect(output).withContext(`seed ${seed}`).not.toMatch(/\d+ failed/);
    const expected = SPEC_FOLDERS.reduce((n, folder) => n + testCount(join(app, folder)), 0);
    expect(Number(/Tests\s+(\d+) passed/.exec(output)?.[1] ?? -1)).withContext(`seed ${seed}`).toBe(expected);
    expect(vitest.status).withContext(output.split('\n').slice(-40).join('\n')).toBe(0);
  });
});

describe('the --bff --dpop code (both halves) in an Angular 22 SSR workspace with angular-eslint', () => {
  let dir: string;
  /** The generated .ts files, relative to the workspace. */
  let generated: string[];

  beforeAll(() => {
    const tarball = packTarball();
    dir = copyWorkspace(newWorkspace('22.2.0', 'app22ssr', ['--defaults', '--ssr'], '22.2.0'), 'ng22-bff-gates');
    sh('ng', ['add', `angular-eslint@${ANGULAR_ESLINT}`, '--skip-confirmation'], dir);
    sh('ng', ['add', tarball, '--skip-confirmation', '--defaults', ...AUTHORITY, '--bff', '--dpop', '--skip-install'], dir);
    sh('npm', ['install'], dir);
    generated = ['src/app/auth', 'src/server/bff'].flatMap((folder) =>
      readdirSync(join(dir, folder)).filter((f) => f.endsWith('.ts')).map((f) => `${folder}/${f}`));
  });

  it('ng lint finds no problem in them', () => {
    expect(generated).toContain('src/server/bff/dpop.ts');
    expectLintClean(dir, generated);
  });

  it('the app (server.ts and the server half with it) and the specs compile with the strictest flags', () => {
    expectStrictCompile(dir);
  });
});
