import type { AuthConfig } from './auth-config';
import type { TokenSet } from './session-store';

// Opens the app signed in for end-to-end tests (Playwright, Cypress) without a provider's sign-in
// page: the session the generated code restores at start-up, written into the storage it reads.
// No Angular import, so Playwright and Cypress load this file as it is. Written without --skip-tests.

export interface E2eSessionOptions {
  /** The claims of the id_token (default: `{ sub: 'e2e-user' }`). */
  claims?: Record<string, unknown>;
  /** The access token the app sends to secureRoutes (default: 'e2e-access-token'). */
  accessToken?: string;
  /** How long the session lasts from now, in seconds (default: 3600; no renewal before then). */
  expiresInSeconds?: number;
}

/** A storage entry: `window[storage].setItem(key, value)` before the app starts. */
export interface E2eSessionEntry {
  storage: 'sessionStorage' | 'localStorage';
  key: string;
  value: string;
}

/** An unsigned JWT (`alg: none`) with `claims`: read by the app, never verified on restore. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (json: object) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(json))))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/**
 * The stored session that opens the app signed in, under the key session-store.ts reads
 * (`auth.session:<clientId>@<authority>`). It has no refresh token: the app does not renew it;
 * its API calls carry `accessToken` (your test's backend, or a route mock, accepts it).
 */
export function e2eSession(
  config: Pick<AuthConfig, 'authority' | 'clientId' | 'storage'>,
  options: E2eSessionOptions = {},
): E2eSessionEntry {
  if (config.storage === 'memory') {
    throw new Error(
      "storage 'memory' keeps no session across page loads: sign in through a local provider instead",
    );
  }
  const session: TokenSet = {
    accessToken: options.accessToken ?? 'e2e-access-token',
    idToken: unsignedJwt(options.claims ?? { sub: 'e2e-user' }),
    refreshToken: null,
    expiresAt: Date.now() + (options.expiresInSeconds ?? 3600) * 1000,
  };
  return {
    storage: config.storage === 'local' ? 'localStorage' : 'sessionStorage',
    key: `auth.session:${config.clientId}@${config.authority}`,
    value: JSON.stringify(session),
  };
}

/** What signInForE2e needs of a Playwright Page (or BrowserContext). */
export interface InitScriptTarget {
  addInitScript(script: (entry: E2eSessionEntry) => void, arg: E2eSessionEntry): Promise<unknown>;
}

/**
 * Playwright: every page the test opens next starts signed in.
 *
 *   await signInForE2e(page, authConfig, { claims: { sub: 'u1', name: 'Ada' } });
 *   await page.goto('/');
 */
export async function signInForE2e(
  page: InitScriptTarget,
  config: Pick<AuthConfig, 'authority' | 'clientId' | 'storage'>,
  options: E2eSessionOptions = {},
): Promise<void> {
  await page.addInitScript(
    (entry) => window[entry.storage].setItem(entry.key, entry.value),
    e2eSession(config, options),
  );
}
