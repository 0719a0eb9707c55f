import { InjectionToken } from '@angular/core';

// The shape of the auth configuration and its injection token; the values are in auth.config.ts.

export interface AuthConfig {
  /** Issuer URL of the OpenID provider (https, or http for localhost only). */
  authority: string;
  clientId: string;
  scope: string;
  /** Renew this many seconds before the access token expires. */
  renewBeforeSeconds: number;
  /** Where the session is kept: sessionStorage, localStorage, or memory only. */
  storage: 'session' | 'local' | 'memory';
  /**
   * URLs whose requests get `Authorization: Bearer <access token>`: an origin and a path, matched
   * by exact origin and whole path segments (`https://api.example.com/v1` matches `.../v1/orders`,
   * not `.../v10` nor `https://api.example.com.evil.com`); relative ones (`/api`) on the app's origin.
   */
  secureRoutes: string[];
  /** Defaults to the app's base URL: `<origin><base href>`. */
  redirectUri?: string;
  /** Defaults to the app's base URL. */
  postLogoutRedirectUri?: string;
  /** Defaults to `<base URL>silent-renew.html` (iframe renewal only). */
  silentRenewUri?: string;
  /** Defaults to 10 (iframe renewal only). */
  silentRenewTimeoutSeconds?: number;
  /** Deadline of each request to the provider (discovery, token). Defaults to 10. */
  requestTimeoutSeconds?: number;
  /**
   * Sender-constrained tokens (DPoP, RFC 9449): loads the key and proof code on first use.
   * `ng add --dpop` sets it to `() => import('./dpop')`.
   */
  dpop?: () => Promise<DpopSupport>;
}

/** What ./dpop provides (generated with --dpop only). */
export interface DpopSupport {
  /** This session's key pair; a new one when `create` (at sign-in); null when none is kept. */
  sessionKeys(config: AuthConfig, create: boolean): Promise<CryptoKeyPair | null>;
  /** Deletes this session's key pair (logout, session end). */
  forgetKeys(config: AuthConfig): Promise<void>;
  /** A DPoP proof JWT for one request (RFC 9449 section 4), bound to `accessToken` when given. */
  proof(
    keys: CryptoKeyPair,
    method: string,
    url: string,
    accessToken?: string,
    nonce?: string,
  ): Promise<string>;
}

/** The configuration `provideAuth(config)` provides to the generated code. */
export const AUTH_CONFIG = new InjectionToken<AuthConfig>('AUTH_CONFIG');
