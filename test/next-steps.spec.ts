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

  /** ng22 with a CSP meta of `policy` after the base href (line 7). */
  function withCspMeta(policy: string): UnitTestTree {
    const tree = loadFixture('ng22');
    tree.overwrite('/src/index.html', tree.readText('/src/index.html')
      .replace('<base href="/">', `<base href="/">\n  <meta http-equiv="Content-Security-Policy" content="${policy}">`));
    return tree;
  }
  const cspLine = async (tree: UnitTestTree, options: Record<string, unknown> = {}) =>
    (await run(tree, options)).info.find((l) => l.startsWith(HEADER))!.split('\n').filter((l) => l.includes('Content-Security-Policy'));
  const FALLBACK = "(default-src 'self' applies to those requests now; a directive you add replaces it for them, so it keeps its sources).";

  it('a CSP meta with default-src \'self\' only: connect-src (and frame-src for iframe renewal) written with \'self\' kept', async () => {
    expect(await cspLine(withCspMeta("default-src 'self'"), { renewal: 'iframe', authority: 'https://id.example.com/realms/a/' })).toEqual([
      "  - Your Content-Security-Policy (src/index.html:7) blocks https://id.example.com: add the directives " +
        `connect-src 'self' https://id.example.com; frame-src 'self' https://id.example.com ${FALLBACK}`]);
    expect(await cspLine(withCspMeta("default-src 'self'"))).toEqual([
      `  - Your Content-Security-Policy (src/index.html:7) blocks https://id.example.com: add the directive connect-src 'self' https://id.example.com ${FALLBACK}`]);
  });

  it('a CSP meta with a connect-src of its own: the origin appended to it; script-only keywords of default-src not copied', async () => {
    expect(await cspLine(withCspMeta("default-src 'self'; connect-src 'self' https://api.example.com"))).toEqual([
      "  - Your Content-Security-Policy (src/index.html:7) blocks https://id.example.com: change connect-src 'self' https://api.example.com " +
        "to connect-src 'self' https://api.example.com https://id.example.com."]);
    expect(await cspLine(withCspMeta("default-src 'self' 'unsafe-inline'; connect-src 'self'"), { renewal: 'iframe' })).toEqual([
      "  - Your Content-Security-Policy (src/index.html:7) blocks https://id.example.com: change connect-src 'self' to connect-src 'self' https://id.example.com, " +
        "and add the directive frame-src 'self' https://id.example.com (default-src 'self' 'unsafe-inline' applies to those requests now; " +
        'a directive you add replaces it for them, so it keeps its sources).']);
  });

  it('frame-src falls back to child-src before default-src', async () => {
    expect(await cspLine(withCspMeta("default-src 'none'; child-src 'self'; connect-src *"), { renewal: 'iframe' })).toEqual([
      "  - Your Content-Security-Policy (src/index.html:7) blocks https://id.example.com: add the directive frame-src 'self' https://id.example.com " +
        "(child-src 'self' applies to those requests now; a directive you add replaces it for them, so it keeps its sources)."]);
  });

  it('a policy that already lets the provider through, or restricts neither connect-src nor default-src: no CSP step', async () => {
    expect(await cspLine(withCspMeta("default-src 'self'; connect-src 'self' https:; frame-src https://*.example.com"), { renewal: 'iframe' })).toEqual([]);
    expect(await cspLine(withCspMeta("script-src 'self'; object-src 'none'"))).toEqual([]);
    expect(await cspLine(loadFixture('ng22'))).toEqual([]);
  });

  it('helmet() in server.ts: helmet\'s default policy (default-src \'self\'), so connectSrc with \'self\' kept', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/server.ts', "import helmet from 'helmet';\nimport express from 'express';\n\nconst app = express();\napp.use(helmet());\n");
    expect(await cspLine(tree)).toEqual([
      `  - Your Content-Security-Policy (src/server.ts:5) blocks https://id.example.com (helmet): add contentSecurityPolicy: ` +
        `{ directives: { connectSrc: ["'self'", "https://id.example.com"] } } to the options of helmet() ${FALLBACK}`]);
  });

  it('helmet with directives in server.ts: the directive changed or added in helmet\'s form, at the line of the directives', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/server.ts', [
      "import helmet from 'helmet';",
      'app.use(',
      '  helmet({',
      '    contentSecurityPolicy: {',
      '      directives: {',
      `        defaultSrc: ["'self'"],`,
      `        connectSrc: ["'self'", 'https://api.example.com'],`,
      '      },',
      '    },',
      '  }),',
      ');',
      '',
    ].join('\n'));
    expect(await cspLine(tree, { renewal: 'iframe' })).toEqual([
      `  - Your Content-Security-Policy (src/server.ts:5) blocks https://id.example.com (helmet): change connectSrc: ["'self'", "https://api.example.com"] ` +
        `to connectSrc: ["'self'", "https://api.example.com", "https://id.example.com"], and add frameSrc: ["'self'", "https://id.example.com"] ` +
        `to its directives ${FALLBACK}`]);
  });

  it('a Content-Security-Policy header set in server.ts; a policy not readable here gets the rule in one line', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/server.ts', `app.use((req, res, next) => {\n  res.setHeader('Content-Security-Policy', "default-src 'self'; img-src *");\n  next();\n});\n`);
    expect(await cspLine(tree)).toEqual([
      `  - Your Content-Security-Policy (src/server.ts:2) blocks https://id.example.com: add the directive connect-src 'self' https://id.example.com ${FALLBACK}`]);
    const unread = loadFixture('ng22');
    unread.create('/src/server.ts', `import { policy } from './policy';\napp.use((req, res) => res.setHeader('Content-Security-Policy', policy));\n`);
    expect(await cspLine(unread)).toEqual([
      "  - Your app sets a Content-Security-Policy (src/server.ts) not read here: make its connect-src allow https://id.example.com, keeping 'self' " +
        "and the sources it has (a directive you add replaces default-src for its requests, so it keeps default-src's sources)."]);
  });

  it('an AuthService of the app\'s own elsewhere: which one to inject, and the generated one under another name', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/app/core/auth.service.ts', '@Injectable()\nexport class AuthService {}\n');
    tree.overwrite('/src/app/app.ts', `import { AuthService } from './core/auth.service';\n${tree.readText('/src/app/app.ts')}`);
    const { info } = await run(tree);
    expect(info[0].split('\n').slice(-1)).toEqual([
      '  - src/app/core/auth.service.ts has an AuthService of its own; the generated one (src/app/auth/auth.service.ts) is a separate class, ' +
        'and provideAuth, authGuard and authInterceptor use it. Inject the generated one where you need the session and tokens, under another ' +
        "name where a file also uses yours, e.g. in src/app/app.ts (it imports yours): import { AuthService as OidcAuthService } from './auth/auth.service', " +
        'then inject(OidcAuthService).',
    ]);
  });

  it('an AuthService of the app\'s own that nothing imports, and an auth/ folder with other files', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/app/core/auth.service.ts', '@Injectable()\nexport class AuthService {}\n');
    tree.create('/src/app/auth/login.ts', 'export const login = 1;\n');
    const { info } = await run(tree);
    expect(info[0].split('\n').slice(-2)).toEqual([
      '  - src/app/core/auth.service.ts has an AuthService of its own; the generated one (src/app/auth/auth.service.ts) is a separate class, ' +
        'and provideAuth, authGuard and authInterceptor use it. Inject the generated one where you need the session and tokens, under another ' +
        "name where a file also uses yours, e.g. from src/app/: import { AuthService as OidcAuthService } from './auth/auth.service', " +
        'then inject(OidcAuthService).',
      '  - src/app/auth/ already held files of your own (login.ts): the generated files were added next to them; ' +
        'to keep them apart, remove the generated files and run again with --path <another folder>.',
    ]);
  });

  it('a functional interceptor of the app\'s own that sets Authorization, registered with withInterceptors: named, file:line', async () => {
    const tree = withHttpClient(loadFixture('ng22'), 'provideHttpClient(withInterceptors([tokenInterceptor]))', 'provideHttpClient, withInterceptors');
    tree.overwrite('/src/app/app.config.ts', `import { tokenInterceptor } from './core/token.interceptor';\n${tree.readText('/src/app/app.config.ts')}`);
    tree.create('/src/app/core/token.interceptor.ts', [
      "import { HttpInterceptorFn } from '@angular/common/http';",
      '',
      'export const tokenInterceptor: HttpInterceptorFn = (req, next) => {',
      "  const token = localStorage.getItem('token');",
      '  return next(token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req);',
      '};',
      '',
    ].join('\n'));
    const { info, tree: after } = await run(tree);
    const line = lineOf(after, '/src/app/app.config.ts', 'withInterceptors([');
    expect(info[0].split('\n').slice(2, 4)).toEqual([
      `  - Register the interceptor: in src/app/app.config.ts:${line} change withInterceptors([tokenInterceptor]) to ` +
        `withInterceptors([tokenInterceptor, authInterceptor]) (${IMPORT_OURS}).`,
      `  - src/app/core/token.interceptor.ts:5: your tokenInterceptor sets the Authorization header too (registered with withInterceptors at ` +
        `src/app/app.config.ts:${line}); with the generated authInterceptor registered, both would set it on the same requests: remove tokenInterceptor from there, ` +
        'or have it skip the URLs in secureRoutes.',
    ]);
  });

  it('a class-based HttpInterceptor that sets Authorization, registered with HTTP_INTERCEPTORS in AppModule', async () => {
    const tree = loadFixture('ng20-module');
    tree.create('/src/app/jwt.interceptor.ts', [
      "import { Injectable } from '@angular/core';",
      "import { HttpEvent, HttpHandler, HttpInterceptor, HttpRequest } from '@angular/common/http';",
      "import { Observable } from 'rxjs';",
      '',
      '@Injectable()',
      'export class JwtInterceptor implements HttpInterceptor {',
      '  intercept(req: HttpRequest<unknown>, next: HttpHandler): Observable<HttpEvent<unknown>> {',
      "    const headers = req.headers.set('Authorization', 'Bearer ' + sessionStorage.getItem('jwt'));",
      '    return next.handle(req.clone({ headers }));',
      '  }',
      '}',
      '',
    ].join('\n'));
    tree.overwrite('/src/app/app-module.ts', tree.readText('/src/app/app-module.ts')
      .replace("import { App } from './app';", "import { App } from './app';\nimport { HTTP_INTERCEPTORS } from '@angular/common/http';\nimport { JwtInterceptor } from './jwt.interceptor';")
      .replace('provideBrowserGlobalErrorListeners()', 'provideBrowserGlobalErrorListeners(),\n    { provide: HTTP_INTERCEPTORS, useClass: JwtInterceptor, multi: true }'));
    const { info, tree: after } = await run(tree);
    const line = lineOf(after, '/src/app/app-module.ts', 'provide: HTTP_INTERCEPTORS');
    expect(info[0].split('\n')[3]).toBe(
      `  - src/app/jwt.interceptor.ts:8: your JwtInterceptor sets the Authorization header too (registered with HTTP_INTERCEPTORS at ` +
      `src/app/app-module.ts:${line}); with the generated authInterceptor registered, both would set it on the same requests: remove JwtInterceptor from there, ` +
      'or have it skip the URLs in secureRoutes.');
  });

  it('an interceptor function not registered anywhere is named too; a service that sets Authorization per request is not an interceptor', async () => {
    const tree = loadFixture('ng22');
    tree.create('/src/app/bearer.ts', [
      "import { HttpHandlerFn, HttpRequest } from '@angular/common/http';",
      'export function bearerInterceptor(req: HttpRequest<unknown>, next: HttpHandlerFn) {',
      "  return next(req.clone({ setHeaders: { 'authorization': 'Bearer t' } }));",
      '}',
      '',
    ].join('\n'));
    tree.create('/src/app/api.ts', [
      "import { HttpClient, HttpHeaders } from '@angular/common/http';",
      'export class Api {',
      '  constructor(private http: HttpClient) {}',
      "  get() { return this.http.get('/x', { headers: new HttpHeaders({ Authorization: 'Basic abc' }) }); }",
      '}',
      '',
    ].join('\n'));
    const { info } = await run(tree);
    expect(info[0].split('\n').filter((l) => l.includes('Authorization header'))).toEqual([
      '  - src/app/bearer.ts:3: your bearerInterceptor sets the Authorization header too; with the generated authInterceptor registered, both would set it ' +
        'on the same requests: remove bearerInterceptor, or have it skip the URLs in secureRoutes.',
    ]);
  });

  it('no test runner (no test target, no config): said in one line, no spec files; --skip-tests=false writes them, said too', async () => {
    const bare = () => {
      const tree = loadFixture('ng22');
      tree.overwrite('/angular.json', tree.readText('/angular.json').replace(/,\s*"test": \{\s*"builder": "@angular\/build:unit-test"\s*\}/, ''));
      tree.overwrite('/package.json', tree.readText('/package.json').replace(/,?\s*"vitest": "[^"]*"/, '').replace(/\s*"jsdom": "[^"]*",/, ''));
      return tree;
    };
    expect(bare().readText('/angular.json')).not.toContain('"test"');
    const none = 'no test target in angular.json, no Vitest, Jest or Karma config or dependency';
    const notGiven = await run(bare());
    expect(notGiven.info[0].split('\n').slice(-1)).toEqual([
      `  - This project has no test runner (${none}): no spec files were written; add one (a test target in angular.json) and run again with --skip-tests=false to get them.`]);
    const asked = await run(bare(), { skipTests: false });
    expect(asked.info[0].split('\n').slice(-1)).toEqual([
      `  - This project has no test runner (${none}): the spec files in src/app/auth/ were written as --skip-tests=false asks, and nothing runs them until you add one.`]);
    const skipped = await run(bare(), { skipTests: true });
    expect(skipped.info[0]).not.toContain('test runner');
    expect((await run(loadFixture('ng22'))).info[0]).not.toContain('test runner');
  });

  it('Jest, or a test builder not known here: one line on how the specs are written', async () => {
    const jest = loadFixture('ng22');
    jest.overwrite('/angular.json', jest.readText('/angular.json').replace('"builder": "@angular/build:unit-test"', '"builder": "@angular-builders/jest:run"'));
    expect((await run(jest)).info[0].split('\n').slice(-1)).toEqual([
      '  - Your tests run on Jest (angular.json test target (@angular-builders/jest:run)): the specs in src/app/auth/ use its globals ' +
        '(describe, it, expect, no imports) and TestBed, as they do under Karma; Jest needs a browser-like environment for them (jest-preset-angular with jsdom).']);
    const other = loadFixture('ng22');
    other.overwrite('/angular.json', other.readText('/angular.json').replace('"builder": "@angular/build:unit-test"', '"builder": "@web/test-runner-angular:test"'));
    expect((await run(other)).info[0].split('\n').slice(-1)).toEqual([
      '  - Your angular.json test target (@web/test-runner-angular:test) is not one ngx-auth-renew knows: the specs in src/app/auth/ are written ' +
        'as for Karma/Jasmine (global describe, it, expect; no imports).']);
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

describe('next steps with two generated folders', () => {
  it('do not take the AuthService of another generated folder for the app\'s own', async () => {
    const tree = loadFixture('ng22');
    await run(tree);
    const second = await run(tree, { path: 'src/app/auth2', clientId: 'spa2' });
    expect(second.info.join('\n')).not.toContain('has an AuthService of its own');
    tree.create('/src/app/core/auth.service.ts', 'export class AuthService {}\n');
    const third = await run(tree, { path: 'src/app/auth3', clientId: 'spa3' });
    expect(third.info.join('\n')).toContain('src/app/core/auth.service.ts has an AuthService of its own');
  });
});
