import { UnitTestTree } from '@angular-devkit/schematics/testing';
import { BASE_OPTIONS, loadFixture, runner, runWithTasks } from './workspace-fixtures';

interface Logged {
  info: string[];
  warn: string[];
  tree: UnitTestTree;
}

async function run(tree: UnitTestTree, options: Record<string, unknown> = {}, schematic = 'auth-renew'): Promise<Logged> {
  const info: string[] = [];
  const warn: string[] = [];
  const subscription = runner.logger.subscribe((entry) => (entry.level === 'warn' ? warn : info).push(entry.message));
  try {
    const after = await runWithTasks(schematic, { ...BASE_OPTIONS, ...options }, tree);
    return { info, warn, tree: after };
  } finally {
    subscription.unsubscribe();
  }
}

const HEADER = 'ngx-auth-renew: next steps';
const REDIRECT = '  - At https://id.example.com, allow client "spa" the redirect URI <origin>/ and the post-logout redirect URI <origin>/.';
const SECURE_ROUTES = "  - To send the access token to your API, add its base URL (origin and path, e.g. 'https://api.example.com/v1') to secureRoutes in src/app/auth/auth.config.ts.";
const IMPORT_OURS = "import { authInterceptor } from './auth/auth.interceptor'";

/** 1-based line of the first line of `path` (after the run) that contains `text`. */
function lineOf(tree: UnitTestTree, path: string, text: string): number {
  const line = tree.readText(path).split('\n').findIndex((l) => l.includes(text)) + 1;
  expect(line).withContext(text).toBeGreaterThan(0);
  return line;
}

/** ng22's app.config.ts with a provideHttpClient call (and its import) after provideRouter. */
function withHttpClient(tree: UnitTestTree, call: string, symbols = 'provideHttpClient, withFetch, withInterceptors'): UnitTestTree {
  const path = '/src/app/app.config.ts';
  tree.overwrite(path, tree.readText(path)
    .replace("import { provideRouter } from '@angular/router';",
      `import { provideRouter } from '@angular/router';\nimport { ${symbols} } from '@angular/common/http';`)
    .replace('provideRouter(routes)', `provideRouter(routes),\n    ${call}`));
  return tree;
}

describe('next steps fit the app', () => {
  it('a fresh app: where to register the redirect URIs, the interceptor (next to provideAuth) and secureRoutes', async () => {
    const { info, warn } = await run(loadFixture('ng22'));
    expect(info).toEqual([[
      HEADER,
      REDIRECT,
      "  - Register the interceptor: add provideHttpClient(withInterceptors([authInterceptor])) to the providers in src/app/app.config.ts " +
        `(import { provideHttpClient, withInterceptors } from '@angular/common/http'; ${IMPORT_OURS}).`,
      SECURE_ROUTES,
    ].join('\n')]);
    expect(warn).toEqual([]);
  });

  it('a second identical run says nothing at all', async () => {
    const first = await run(loadFixture('ng22'), { renewal: 'iframe' });
    expect(first.info.length).toBe(1);
    const second = await run(first.tree, { renewal: 'iframe' });
    expect(second.info).toEqual([]);
    expect(second.warn).toEqual([]);
    const implicit = await run(loadFixture('ng22'), { flow: 'implicit', renewal: 'iframe' });
    expect(implicit.warn.length).toBe(1);
    expect((await run(implicit.tree, { flow: 'implicit', renewal: 'iframe' })).warn).toEqual([]);
  });

  it('a run that puts back a deleted generated file says them again', async () => {
    const first = await run(loadFixture('ng22'));
    first.tree.delete('/src/app/auth/auth.guard.ts');
    expect((await run(first.tree)).info.length).toBe(1);
  });

  it('ng add says the same, once', async () => {
    const { info } = await run(loadFixture('ng22'), {}, 'ng-add');
    expect(info.filter((m) => m.startsWith(HEADER)).length).toBe(1);
    expect(info.join('\n')).toContain(REDIRECT);
  });

  it('provideHttpClient(withFetch()): the exact edit, named by file:line', async () => {
    const { info, tree } = await run(withHttpClient(loadFixture('ng22'), 'provideHttpClient(withFetch())', 'provideHttpClient, withFetch'));
    const line = lineOf(tree, '/src/app/app.config.ts', 'provideHttpClient(withFetch())');
    expect(info[0].split('\n')[2]).toBe(
      `  - Register the interceptor: in src/app/app.config.ts:${line} change provideHttpClient(withFetch()) to ` +
      "provideHttpClient(withFetch(), withInterceptors([authInterceptor])) (import { withInterceptors } from '@angular/common/http'; " +
      `${IMPORT_OURS}).`);
  });

  it('provideHttpClient() without arguments (withInterceptors imported already, or not)', async () => {
    const { info, tree } = await run(withHttpClient(loadFixture('ng22'), 'provideHttpClient()', 'provideHttpClient'));
    const line = lineOf(tree, '/src/app/app.config.ts', 'provideHttpClient()');
    expect(info[0].split('\n')[2]).toBe(
      `  - Register the interceptor: in src/app/app.config.ts:${line} change provideHttpClient() to ` +
      "provideHttpClient(withInterceptors([authInterceptor])) (import { withInterceptors } from '@angular/common/http'; " +
      `${IMPORT_OURS}).`);
    const imported = await run(withHttpClient(loadFixture('ng22'), 'provideHttpClient()', 'provideHttpClient, withInterceptors'));
    expect(imported.info[0].split('\n')[2]).toBe(
      `  - Register the interceptor: in src/app/app.config.ts:${line} change provideHttpClient() to ` +
      `provideHttpClient(withInterceptors([authInterceptor])) (${IMPORT_OURS}).`);
  });

  it('withInterceptors([...]) already there, over several lines: authInterceptor goes into that array', async () => {
    const call = 'provideHttpClient(\n      withFetch(),\n      withInterceptors([\n        loggingInterceptor,\n      ]),\n    )';
    const { info, tree } = await run(withHttpClient(loadFixture('ng22'), call));
    const line = lineOf(tree, '/src/app/app.config.ts', 'withInterceptors([');
    expect(info[0].split('\n')[2]).toBe(
      `  - Register the interceptor: in src/app/app.config.ts:${line} change withInterceptors([loggingInterceptor]) to ` +
      `withInterceptors([loggingInterceptor, authInterceptor]) (${IMPORT_OURS}).`);
  });

  it('withInterceptors given a variable: add authInterceptor to it', async () => {
    const { info, tree } = await run(withHttpClient(loadFixture('ng22'), 'provideHttpClient(withInterceptors(interceptors))', 'provideHttpClient, withInterceptors'));
    const line = lineOf(tree, '/src/app/app.config.ts', 'withInterceptors(interceptors)');
    expect(info[0].split('\n')[2]).toBe(
      `  - Register the interceptor: in src/app/app.config.ts:${line} add authInterceptor to the interceptors given to ` +
      `withInterceptors(interceptors) (${IMPORT_OURS}).`);
  });

  it('the generated interceptor already registered: no interceptor step', async () => {
    const tree = withHttpClient(loadFixture('ng22'), 'provideHttpClient(withInterceptors([authInterceptor]))', 'provideHttpClient, withInterceptors');
    tree.overwrite('/src/app/app.config.ts', `${IMPORT_OURS};\n${tree.readText('/src/app/app.config.ts')}`);
    const { info } = await run(tree);
    expect(info).toEqual([[HEADER, REDIRECT, SECURE_ROUTES].join('\n')]);
  });

  it('an authInterceptor of the app\'s own: said, and ours imported under an alias', async () => {
    const tree = withHttpClient(loadFixture('ng22'), 'provideHttpClient(withInterceptors([authInterceptor]))', 'provideHttpClient, withInterceptors');
    tree.overwrite('/src/app/app.config.ts', `import { authInterceptor } from './core/auth.interceptor';\n${tree.readText('/src/app/app.config.ts')}`);
    tree.create('/src/app/core/auth.interceptor.ts', 'export const authInterceptor = () => null;\n');
    const { info, tree: after } = await run(tree);
    const line = lineOf(after, '/src/app/app.config.ts', 'withInterceptors([authInterceptor])');
    expect(info[0].split('\n').slice(2, 4)).toEqual([
      '  - src/app/app.config.ts already has an authInterceptor of its own: import the generated one as oidcAuthInterceptor, as below.',
      `  - Register the interceptor: in src/app/app.config.ts:${line} change withInterceptors([authInterceptor]) to ` +
        "withInterceptors([authInterceptor, oidcAuthInterceptor]) (import { authInterceptor as oidcAuthInterceptor } from './auth/auth.interceptor').",
    ]);
  });

  it('a Content-Security-Policy meta in index.html: connect-src, and frame-src for iframe renewal', async () => {
    const tree = loadFixture('ng22');
    tree.overwrite('/src/index.html', tree.readText('/src/index.html')
      .replace('<base href="/">', `<base href="/">\n  <meta http-equiv="Content-Security-Policy" content="default-src 'self'">`));
    const iframe = await run(tree, { renewal: 'iframe', authority: 'https://id.example.com/realms/a/' });
    expect(iframe.info[0].split('\n')[4]).toBe(
      '  - Your app sets a Content-Security-Policy (src/index.html): add connect-src https://id.example.com and frame-src https://id.example.com to it.');
    const tree2 = loadFixture('ng22');
    tree2.overwrite('/src/index.html', tree.readText('/src/index.html'));
    expect((await run(tree2)).info[0].split('\n')[4]).toBe(
      '  - Your app sets a Content-Security-Policy (src/index.html): add connect-src https://id.example.com to it.');
  });

  it('helmet in server.ts counts as a CSP; without any, no CSP step', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/server.ts', "import helmet from 'helmet';\n");
    expect((await run(tree)).info[0].split('\n')[4]).toBe(
      '  - Your app sets a Content-Security-Policy (src/server.ts): add connect-src https://id.example.com to it.');
    expect((await run(loadFixture('ng22'))).info[0]).not.toContain('Content-Security-Policy');
  });

  it('an AuthService of the app\'s own and an auth/ folder with other files: said, with --path', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/app/core/auth.service.ts', '@Injectable()\nexport class AuthService {}\n');
    tree.create('/src/app/auth/login.ts', 'export const login = 1;\n');
    const { info } = await run(tree);
    expect(info[0].split('\n').slice(-2)).toEqual([
      '  - src/app/core/auth.service.ts already has a class AuthService: the generated one is src/app/auth/auth.service.ts; ' +
        'to keep them apart, remove the generated files and run again with --path <another folder>.',
      '  - src/app/auth/ already held files of your own (login.ts): the generated files were added next to them; ' +
        'to keep them apart, remove the generated files and run again with --path <another folder>.',
    ]);
  });

  it('the redirect URIs follow the base href of index.html, or the build baseHref option', async () => {
    const tree = loadFixture('ng22');
    tree.overwrite('/src/index.html', tree.readText('/src/index.html').replace('<base href="/">', '<base href="/portal/">'));
    expect((await run(tree, { renewal: 'iframe' })).info[0].split('\n')[1]).toBe(
      '  - At https://id.example.com, allow client "spa" the redirect URIs <origin>/portal/ and <origin>/portal/silent-renew.html ' +
      'and the post-logout redirect URI <origin>/portal/.');
    const option = loadFixture('ng22');
    option.overwrite('/angular.json', option.readText('/angular.json').replace('"browser": "src/main.ts",', '"browser": "src/main.ts",\n            "baseHref": "/shop",'));
    expect((await run(option)).info[0].split('\n')[1]).toBe(
      '  - At https://id.example.com, allow client "spa" the redirect URI <origin>/shop/ and the post-logout redirect URI <origin>/shop/.');
  });

  it('the next steps name the chosen project\'s files (--project, --path in a multi-project workspace)', async () => {
    const { info } = await run(loadFixture('multi'), { project: 'shop', path: 'apps/shop/src/core/session', renewal: 'iframe' });
    const lines = info[0].split('\n');
    expect(lines[2]).toContain('to the providers in apps/shop/src/app/app.config.ts');
    expect(lines[2]).toContain(`import { authInterceptor } from '../core/session/auth.interceptor'`);
    expect(lines[3]).toContain('to secureRoutes in apps/shop/src/core/session/auth.config.ts.');
  });

  it('provideHttpClient in the bootstrapApplication options of main.ts', async () => {
    const tree = loadFixture('ng22');
    tree.overwrite('/src/main.ts', tree.readText('/src/main.ts')
      .replace("import { App } from './app/app';", "import { App } from './app/app';\nimport { provideHttpClient } from '@angular/common/http';")
      .replace('bootstrapApplication(App, appConfig)',
        'bootstrapApplication(App, {\n  ...appConfig,\n  providers: [...appConfig.providers, provideHttpClient()],\n})'));
    const { info, tree: after } = await run(tree);
    expect(info[0].split('\n')[2]).toBe(
      `  - Register the interceptor: in src/main.ts:${lineOf(after, '/src/main.ts', 'provideHttpClient()')} change provideHttpClient() to ` +
      "provideHttpClient(withInterceptors([authInterceptor])) (import { withInterceptors } from '@angular/common/http'; " +
      "import { authInterceptor } from './app/auth/auth.interceptor').");
  });

  it('an NgModule app with provideHttpClient(withInterceptorsFromDi()) in AppModule', async () => {
    const tree = loadFixture('ng20-module');
    tree.overwrite('/src/app/app-module.ts', tree.readText('/src/app/app-module.ts')
      .replace("import { BrowserModule } from '@angular/platform-browser';",
        "import { BrowserModule } from '@angular/platform-browser';\nimport { provideHttpClient, withInterceptorsFromDi } from '@angular/common/http';")
      .replace('provideBrowserGlobalErrorListeners()', 'provideBrowserGlobalErrorListeners(),\n    provideHttpClient(withInterceptorsFromDi())'));
    const { info, tree: after } = await run(tree);
    expect(info[0].split('\n')[2]).toBe(
      `  - Register the interceptor: in src/app/app-module.ts:${lineOf(after, '/src/app/app-module.ts', 'provideHttpClient(')} ` +
      'change provideHttpClient(withInterceptorsFromDi()) to provideHttpClient(withInterceptorsFromDi(), withInterceptors([authInterceptor])) ' +
      `(import { withInterceptors } from '@angular/common/http'; ${IMPORT_OURS}).`);
  });

  it('an NgModule app: the interceptor goes to the AppModule providers', async () => {
    const { info } = await run(loadFixture('ng20-module'));
    expect(info[0].split('\n')[2]).toBe(
      "  - Register the interceptor: add provideHttpClient(withInterceptors([authInterceptor])) to the providers in src/app/app-module.ts " +
      `(import { provideHttpClient, withInterceptors } from '@angular/common/http'; ${IMPORT_OURS}).`);
  });
});
