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
   * Extra parameters of every authorization request (sign-in and iframe renewal), e.g.
   * `{ audience: 'https://api.example.com' }` (Auth0), `{ resource: '...' }` (RFC 8707). The
   * protocol's own parameters (state, nonce, PKCE, redirect_uri, scope, ...) cannot be replaced.
   */
  authorizationParams?: Record<string, string>;
  /**
   * The provider's logout URL when its discovery document has no `end_session_endpoint` (Cognito's
   * `/logout`, Auth0's `/v2/logout`); not used when it has one. Without either, logout ends the
   * session in the app only.
   */
  logoutUrl?: (logout: LogoutRequest) => string;
  /**
   * How long a session lasts at most from sign-in, where the provider's refresh tokens end at a
   * fixed time whatever the renewals (Entra ID single-page apps: 24 h). A token response that says
   * when its refresh token ends (`refresh_token_expires_in`, `refresh_expires_in`) overrides it.
   * Renewal stops there, and `sessionWarningSeconds` before it a `warning` event tells the app.
   */
  sessionLifetimeSeconds?: number;
  /** How long before the session's end the `warning` event comes. Defaults to 300. */
  sessionWarningSeconds?: number;
  /**
   * Sender-constrained tokens (DPoP, RFC 9449): loads the key and proof code on first use.
   * `ng add --dpop` sets it to `() => import('./dpop')`.
   */
  dpop?: () => Promise<DpopSupport>;
}

/** What `logoutUrl` is given to build the provider's logout URL from. */
export interface LogoutRequest {
  clientId: string;
  postLogoutRedirectUri: string;
  /** The session's id_token, if any (`id_token_hint`). */
  idToken: string | null;
  /** The provider's authorization endpoint: its host is where the sign-in pages are (Cognito's domain). */
  authorizationEndpoint: string;
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
