import {
  AuthorizationResponseError,
  None,
  ResponseBodyError,
  allowInsecureRequests,
  discoveryRequest,
  generateRandomNonce,
  generateRandomState,
  processDiscoveryResponse,
  revocationRequest,
} from 'oauth4webapi';
import type { AuthorizationServer, Client, TokenEndpointResponse } from 'oauth4webapi';
import type { AuthConfig } from './provide-auth';
import type { SessionStore } from './session-store';

/** Tokens of the current session. */
export interface TokenSet {
  accessToken: string;
  idToken: string | null;
  refreshToken: string | null;
  /** Epoch ms at which the access token expires, from `expires_in` at receipt (wall clock). */
  expiresAt: number;
}

export type ResolvedAuthConfig = Required<AuthConfig>;

export interface OidcContext {
  config: ResolvedAuthConfig;
  as: AuthorizationServer;
  client: Client;
  /** Passed to every oauth4webapi request; allowInsecureRequests (deprecated, still supported) only for http://localhost. */
  options: { [allowInsecureRequests]?: boolean };
}

export class OidcError extends Error {
  /** `code` is the OAuth error code (`login_required`, `invalid_grant`, ...) or `network`, `timeout`, ... */
  constructor(
    readonly code: string,
    message: string = code,
  ) {
    super(message);
    this.name = 'OidcError';
  }
}

/** Used when the provider omits `expires_in`: short, so the token is renewed early rather than late. */
const DEFAULT_EXPIRES_IN = 300;

const metadata = new Map<string, Promise<AuthorizationServer>>();

/** Discovers the provider once per authority (a failed discovery is retried next time). */
export async function discover(config: AuthConfig): Promise<OidcContext> {
  try {
    const issuer = new URL(config.authority);
    const options = isLocalhost(issuer) ? { [allowInsecureRequests]: true } : {};
    let as = metadata.get(issuer.href);
    if (!as) {
      as = discoveryRequest(issuer, options).then((response) =>
        processDiscoveryResponse(issuer, response),
      );
      metadata.set(issuer.href, as);
      as.catch(() => metadata.delete(issuer.href));
    }
    return {
      config: withDefaults(config),
      as: await as,
      client: { client_id: config.clientId },
      options,
    };
  } catch (error) {
    throw toOidcError(error);
  }
}

function withDefaults(config: AuthConfig): ResolvedAuthConfig {
  const origin = location.origin;
  return {
    ...config,
    redirectUri: config.redirectUri ?? `${origin}/`,
    postLogoutRedirectUri: config.postLogoutRedirectUri ?? `${origin}/`,
    silentRenewUri: config.silentRenewUri ?? `${origin}/silent-renew.html`,
    silentRenewTimeoutSeconds: config.silentRenewTimeoutSeconds ?? 10,
  };
}

function isLocalhost(url: URL): boolean {
  return url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}

/** What a flow adds to the authorization request both flows send. */
export interface AuthorizationRequest {
  redirectUri: string;
  /** response_type and the flow's own parameters (the PKCE challenge). */
  params: Record<string, string>;
  /** Kept with state and nonce until the response comes back. */
  codeVerifier?: string;
  prompt?: 'none';
  idTokenHint?: string | null;
}

/**
 * The authorization request URL, with a fresh state and nonce kept in `store` (with the PKCE
 * verifier, if any) to check the response against.
 */
export function buildAuthorizationUrl(
  ctx: OidcContext,
  store: SessionStore,
  request: AuthorizationRequest,
): URL {
  if (!ctx.as.authorization_endpoint)
    throw new OidcError('invalid_configuration', 'the provider has no authorization_endpoint');
  const state = generateRandomState();
  const nonce = generateRandomNonce();
  store.savePending({ state, nonce, codeVerifier: request.codeVerifier });
  const url = new URL(ctx.as.authorization_endpoint);
  const params = {
    client_id: ctx.client.client_id,
    redirect_uri: request.redirectUri,
    scope: ctx.config.scope,
    state,
    nonce,
    ...request.params,
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  if (request.prompt) url.searchParams.set('prompt', request.prompt);
  if (request.idTokenHint) url.searchParams.set('id_token_hint', request.idTokenHint);
  return url;
}

/**
 * Turns a token endpoint response into a TokenSet. With `previous`, a refresh response that omits
 * the refresh token or id_token keeps the previous one (a rotated refresh token always wins).
 */
export function toTokenSet(
  response: TokenEndpointResponse,
  previous: TokenSet | null = null,
): TokenSet {
  return {
    accessToken: response.access_token,
    idToken: response.id_token ?? previous?.idToken ?? null,
    refreshToken: response.refresh_token ?? previous?.refreshToken ?? null,
    expiresAt: Date.now() + (response.expires_in ?? DEFAULT_EXPIRES_IN) * 1000,
  };
}

/** Revokes the refresh and access tokens where the provider can; best effort, failures are ignored. */
export async function revokeTokens(ctx: OidcContext, tokens: TokenSet): Promise<void> {
  if (!ctx.as.revocation_endpoint) return;
  const revoke = (token: string | null, hint: string) =>
    token &&
    revocationRequest(ctx.as, ctx.client, None(), token, {
      ...ctx.options,
      additionalParameters: { token_type_hint: hint },
    });
  await Promise.allSettled([
    revoke(tokens.refreshToken, 'refresh_token'),
    revoke(tokens.accessToken, 'access_token'),
  ]);
}

/** Maps whatever oauth4webapi, fetch or jose threw to an OidcError with an OAuth-style code. */
export function toOidcError(error: unknown): OidcError {
  if (error instanceof OidcError) return error;
  if (error instanceof ResponseBodyError || error instanceof AuthorizationResponseError) {
    return new OidcError(
      error.error,
      `${error.error}: ${error.error_description ?? error.message}`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && !('code' in error))
    return new OidcError('network', `network: ${message}`);
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'unknown';
  return new OidcError(code, `${code}: ${message}`);
}
