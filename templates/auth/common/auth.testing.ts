// Shared set-up for the auth specs: plain TypeScript and @angular/core/testing only (no test-runner
// globals), so that it compiles with the app and runs under Vitest as well as Karma/Jasmine.
// Everything here builds fresh objects per call: under Karma all specs share one module instance.
// Each spec resets what it set up (TestBed, replaced globals, storage) itself, whether or not the
// runner resets TestBed between tests.
import { EnvironmentProviders, Provider, provideZonelessChangeDetection } from '@angular/core';
import { TestBed, getTestBed } from '@angular/core/testing';
import { BrowserTestingModule, platformBrowserTesting } from '@angular/platform-browser/testing';
import { AuthService } from './auth.service';
import type { OidcContext, TokenSet } from './oidc';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { SessionStore, storageKey } from './session-store';

/**
 * A test configuration. Give each spec its own `authority` where discovery runs: discovered
 * metadata is cached per authority for the lifetime of the page.
 */
export function testAuthConfig(overrides: Partial<AuthConfig> = {}): AuthConfig {
  return {
    authority: 'https://id.example.com',
    clientId: 'spa',
    scope: 'openid',
    renewBeforeSeconds: 30,
    storage: 'session',
    secureRoutes: [],
    ...overrides,
  };
}

/**
 * Zoneless change detection when Zone.js is not loaded (a zoneless app), none otherwise: without
 * it, TestBed on Angular 20 expects Zone.js (NG0908).
 */
export function changeDetectionForTests(): EnvironmentProviders[] {
  const zoneLoaded = typeof (globalThis as { Zone?: unknown }).Zone !== 'undefined';
  return zoneLoaded ? [] : [provideZonelessChangeDetection()];
}

/**
 * Configures a fresh TestBed with `config` as AUTH_CONFIG, plus any other providers. The module
 * of an earlier test is reset first, so this works whatever the runner resets between tests.
 */
export function configureAuth(
  config: AuthConfig,
  ...providers: (Provider | EnvironmentProviders)[]
): void {
  // A test setup whose environment did not reach these files (a setup file that initialises another
  // copy of TestBed, seen with Analog's test plugin): initialise it here, once.
  if (!getTestBed().platform) {
    getTestBed().initTestEnvironment(BrowserTestingModule, platformBrowserTesting());
  }
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      ...changeDetectionForTests(),
      { provide: AUTH_CONFIG, useValue: config },
      ...providers,
    ],
  });
}

/** Configures TestBed with `config` and returns its SessionStore. */
export function sessionStoreFor(config: AuthConfig): SessionStore {
  configureAuth(config);
  return TestBed.inject(SessionStore);
}

/** The discovery document of a provider at `issuer`, with the usual endpoints below it. */
export function discoveryDocument(issuer: string) {
  return {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
  };
}

/** The context `discover()` would resolve for `config` and the metadata `as`. */
export function testOidcContext(
  config: AuthConfig,
  as: OidcContext['as'],
  redirectUri = '/',
  silentRenewUri = redirectUri,
): OidcContext {
  return {
    config: {
      ...config,
      redirectUri,
      postLogoutRedirectUri: redirectUri,
      silentRenewUri,
      silentRenewTimeoutSeconds: 1,
      requestTimeoutSeconds: 5,
    },
    as,
    client: { client_id: config.clientId },
    options: {},
  };
}

/** A token set valid for a minute; `overrides` change any part of it. */
export function testTokens(overrides: Partial<TokenSet> = {}): TokenSet {
  return {
    accessToken: 'at',
    idToken: 'id',
    refreshToken: 'rt',
    expiresAt: Date.now() + 60_000,
    ...overrides,
  };
}

/** The session a renewal starts from: expiring in ten seconds; `overrides` change any part of it. */
export function tokensToRenew(overrides: Partial<TokenSet> = {}): TokenSet {
  return testTokens({
    accessToken: 'a1',
    idToken: 'i1',
    refreshToken: 'r1',
    expiresAt: Date.now() + 10_000,
    ...overrides,
  });
}

/** The key under which `config` (default: testAuthConfig()) keeps its session. */
export function sessionKey(config: AuthConfig = testAuthConfig()): string {
  return storageKey('session', config);
}

/** Stores `tokens` as the session a previous page load left behind, in `storage`. */
export function storeSession(
  tokens: TokenSet,
  config: AuthConfig = testAuthConfig(),
  storage: Storage = sessionStorage,
): void {
  storage.setItem(sessionKey(config), JSON.stringify(tokens));
}

/** Signs in with access token 'at' (no id or refresh token) by restoring it as a stored session. */
export async function signIn(): Promise<AuthService> {
  storeSession(testTokens({ idToken: null, refreshToken: null }), TestBed.inject(AUTH_CONFIG));
  const auth = TestBed.inject(AuthService);
  await auth.whenReady();
  return auth;
}

/** Removes what the auth code keeps in sessionStorage and localStorage. */
export function clearAuthStorage(): void {
  for (const storage of [sessionStorage, localStorage]) {
    for (const key of Object.keys(storage)) if (key.startsWith('auth.')) storage.removeItem(key);
  }
}

/**
 * Replaces browser globals (fetch, console.error, crypto.subtle.digest) for one test; restore()
 * puts the real ones back. Create one per describe block, call restore() in afterEach.
 */
export class GlobalFakes {
  private readonly undo: (() => void)[] = [];

  /** Answers every fetch with `handler`, given the URL and the request init. */
  fetch(handler: (url: string, init?: RequestInit) => Response | Promise<Response>): void {
    const realFetch = globalThis.fetch;
    globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
      const response = (async () => handler(String(input), init))();
      // With Zone.js, a fetch that fails at once would be logged as unhandled before the code
      // under test (native async functions) gets to await it; the caller still sees the failure.
      response.catch(() => undefined);
      return response;
    }) as typeof fetch;
    this.undo.push(() => (globalThis.fetch = realFetch));
  }

  /** Fails every fetch as an unreachable provider would, calling `onFetch` first. */
  offline(onFetch: () => void = () => undefined): void {
    this.fetch(() => {
      onFetch();
      throw new TypeError('Failed to fetch');
    });
  }

  /** Collects what is logged with console.error into `logged` instead. */
  consoleError(logged: unknown[]): void {
    const realError = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    this.undo.push(() => (console.error = realError));
  }

  /**
   * jsdom hands out digests and signatures as ArrayBuffers of another realm; copy them into this
   * one so that PKCE challenges, hash checks and signed proofs accept them.
   */
  sameRealmDigest(): void {
    const { digest, sign } = crypto.subtle;
    crypto.subtle.digest = async (...args: Parameters<SubtleCrypto['digest']>) =>
      new Uint8Array(await digest.apply(crypto.subtle, args)).slice().buffer;
    crypto.subtle.sign = async (...args: Parameters<SubtleCrypto['sign']>) =>
      new Uint8Array(await sign.apply(crypto.subtle, args)).slice().buffer;
    this.undo.push(() => Object.assign(crypto.subtle, { digest, sign }));
  }

  /** Puts back every global replaced since the last restore(), latest first. */
  restore(): void {
    this.undo
      .splice(0)
      .reverse()
      .forEach((undo) => undo());
  }
}

/** A JSON response, as a provider's endpoints send them. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

/** The form body of a request, as a token or revocation endpoint reads it. */
export function formBody(init?: RequestInit): URLSearchParams {
  return new URLSearchParams(String(init?.body));
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Resolves once `condition()` holds, so a spec waits for what it expects rather than for a fixed
 * time that a busy machine may overrun. Measured on performance.now(): specs may stub Date.now.
 */
export async function waitFor(condition: () => boolean, timeoutMs = 3_000): Promise<void> {
  const end = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > end) throw new Error(`not met within ${timeoutMs} ms: ${condition}`);
    await sleep(5);
  }
}
