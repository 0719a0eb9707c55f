import {
  AuthorizationResponseError,
  DPoP,
  None,
  OperationProcessingError,
  ResponseBodyError,
  allowInsecureRequests,
  clockSkew,
  discoveryRequest,
  isDPoPNonceError,
  generateRandomNonce,
  generateRandomState,
  processDiscoveryResponse,
  revocationRequest,
} from 'oauth4webapi';
import type { AuthorizationServer, Client, DPoPHandle, TokenEndpointResponse } from 'oauth4webapi';
import type { AuthConfig } from './auth-config';
import type { SessionStore, TokenSet } from './session-store';

// TokenSet is defined with the store that keeps it; exported here too, where the protocol makes it.
export type { TokenSet } from './session-store';

/** Settings that stay optional once defaults are applied: unset means the provider needs none. */
type OptionalSettings =
  'dpop' | 'authorizationParams' | 'logoutUrl' | 'sessionLifetimeSeconds' | 'sessionWarningSeconds';

export type ResolvedAuthConfig = Required<Omit<AuthConfig, OptionalSettings>> &
  Pick<AuthConfig, OptionalSettings>;

export interface OidcContext {
  config: ResolvedAuthConfig;
  as: AuthorizationServer;
  client: Client;
  /** Passed to every oauth4webapi request; allowInsecureRequests (deprecated, still supported) only for http://localhost. */
  options: { [allowInsecureRequests]?: boolean };
}

/** oauth4webapi request options with a fresh deadline: no request waits longer than `seconds`. */
export function withDeadline(
  ctx: OidcContext,
  seconds = ctx.config.requestTimeoutSeconds,
): OidcContext['options'] & { signal: AbortSignal } {
  return { ...ctx.options, signal: AbortSignal.timeout(seconds * 1000) };
}

/**
 * oauth4webapi options of a token request: a fresh deadline and, with DPoP (`dpop` from
 * dpopHandle()), the handle that signs its proof.
 */
export function tokenRequestOptions(
  ctx: OidcContext,
  dpop: DPoPHandle | undefined,
): ReturnType<typeof withDeadline> & { DPoP?: DPoPHandle } {
  return dpop ? { ...withDeadline(ctx), DPoP: dpop } : withDeadline(ctx);
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

/**
 * Used when the provider omits `expires_in` or sends one that is not a positive number: short, so
 * the token is renewed early rather than late.
 */
const DEFAULT_EXPIRES_IN = 300;
/** Revocation at logout is best effort: it never holds up the logout for longer than this. */
const REVOCATION_TIMEOUT = 3;

/** Epoch ms at which a token that lives `expiresIn` seconds from now expires (wall clock). */
export function expiresAtFrom(expiresIn: unknown): number {
  const seconds = Number(expiresIn);
  return (
    Date.now() + (Number.isFinite(seconds) && seconds >= 1 ? seconds : DEFAULT_EXPIRES_IN) * 1000
  );
}

const metadata = new Map<string, Promise<AuthorizationServer>>();

/** Discovers the provider once per authority (a failed discovery is retried next time). */
export async function discover(config: AuthConfig): Promise<OidcContext> {
  try {
    const issuer = new URL(config.authority);
    const options = isLocalhost(issuer) ? { [allowInsecureRequests]: true } : {};
    let as = metadata.get(issuer.href);
    if (!as) {
      const signal = AbortSignal.timeout((config.requestTimeoutSeconds ?? 10) * 1000);
      as = discoveryRequest(issuer, { ...options, signal }).then((response) =>
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

/** Default URIs follow the app's base href, so an app served under a sub-path (`/portal/`) works. */
function withDefaults(config: AuthConfig): ResolvedAuthConfig {
  const base = appBaseUrl();
  return {
    ...config,
    redirectUri: config.redirectUri ?? base,
    postLogoutRedirectUri: config.postLogoutRedirectUri ?? base,
    silentRenewUri: config.silentRenewUri ?? new URL('silent-renew.html', base).href,
    silentRenewTimeoutSeconds: config.silentRenewTimeoutSeconds ?? 10,
    requestTimeoutSeconds: config.requestTimeoutSeconds ?? 10,
  };
}

/** The folder of the app's `<base href>`, absolute: `https://host/portal/`. */
export function appBaseUrl(): string {
  return new URL('.', document.baseURI).href;
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
  codeVerifier?: string | undefined;
  prompt?: 'none' | undefined;
  idTokenHint?: string | null | undefined;
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
    ...ctx.config.authorizationParams, // first: the protocol's own parameters below win
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
  const tokens: TokenSet = {
    accessToken: response.access_token,
    idToken: response.id_token ?? previous?.idToken ?? null,
    refreshToken: response.refresh_token ?? previous?.refreshToken ?? null,
    expiresAt: expiresAtFrom(response.expires_in),
  };
  const sessionEndsAt = refreshTokenEnd(response) ?? previous?.sessionEndsAt;
  if (sessionEndsAt !== undefined) tokens.sessionEndsAt = sessionEndsAt;
  return tokens;
}

/**
 * Epoch ms at which the refresh token of `response` ends, where the provider says so: Entra ID's
 * `refresh_token_expires_in`, Keycloak's `refresh_expires_in` (0: no end). Undefined otherwise.
 */
function refreshTokenEnd(response: TokenEndpointResponse): number | undefined {
  for (const field of ['refresh_token_expires_in', 'refresh_expires_in']) {
    const seconds = Number(response[field]);
    if (response.refresh_token && Number.isFinite(seconds) && seconds > 0)
      return Date.now() + seconds * 1000;
  }
  return undefined;
}

/** The claims of a JWT, unverified: only for tokens a verified response already carried. */
export function jwtClaims(jwt: string | null | undefined): Record<string, unknown> {
  try {
    const part = jwt!.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))),
    );
  } catch {
    return {};
  }
}

/**
 * The provider's clock minus ours, in seconds, from the `iat` of the id_token in `body` (issued
 * just now). JWT time checks use it, so a client clock minutes off still signs in; replay stays
 * refused by the single-use state, nonce, code and refresh token.
 */
export function providerClockOffset(idToken: unknown): number {
  const iat = typeof idToken === 'string' ? jwtClaims(idToken)['iat'] : undefined;
  return typeof iat === 'number' ? iat - Math.floor(Date.now() / 1000) : 0;
}

/** `client` with JWT time checks set to the provider's clock, as measured from `response`. */
export async function onProviderClock(client: Client, response: Response): Promise<Client> {
  const body = await response
    .clone()
    .json()
    .catch(() => null);
  return { ...client, [clockSkew]: providerClockOffset(body?.id_token) };
}

/**
 * OIDC Core 12.2: a renewal must not switch users. Throws `user_changed` when the renewed
 * id_token names another issuer or subject than the session's.
 */
export function assertSameUser(previous: TokenSet, next: TokenSet): void {
  if (!previous.idToken || !next.idToken || next.idToken === previous.idToken) return;
  const [was, is] = [jwtClaims(previous.idToken), jwtClaims(next.idToken)];
  if (was['iss'] !== is['iss'] || was['sub'] !== is['sub']) {
    throw new OidcError(
      'user_changed',
      'user_changed: the renewed id_token is for another user; sign in again',
    );
  }
}

/**
 * Revokes the refresh and access tokens where the provider can; best effort with a short deadline.
 * Resolves with what failed (for the `signed-out` event), or null.
 */
export async function revokeTokens(ctx: OidcContext, tokens: TokenSet): Promise<string | null> {
  if (!ctx.as.revocation_endpoint) return null;
  const revoke = async (token: string | null, hint: string) => {
    if (!token) return;
    const response = await revocationRequest(ctx.as, ctx.client, None(), token, {
      ...withDeadline(ctx, REVOCATION_TIMEOUT),
      additionalParameters: { token_type_hint: hint },
    });
    if (response.ok) return;
    // RFC 7009 2.2.1: a provider that revokes no tokens of this type (Auth0: access tokens, which
    // are JWTs) says so; they expire by themselves, nothing failed.
    const body = await response.json().catch(() => null);
    if (body?.error === 'unsupported_token_type') return;
    throw new OidcError('revocation_failed', `HTTP ${response.status}`);
  };
  const results = await Promise.allSettled([
    revoke(tokens.refreshToken, 'refresh_token'),
    revoke(tokens.accessToken, 'access_token'),
  ]);
  const failed = results.flatMap((r) => (r.status === 'rejected' ? [toOidcError(r.reason)] : []));
  return failed.length
    ? `revocation_failed: the tokens may still be usable until they expire (${failed.map((e) => e.message).join('; ')})`
    : null;
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
  // By name: AbortSignal.timeout()'s DOMException may come from another realm (jsdom).
  if (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    error.name === 'TimeoutError'
  )
    return new OidcError('timeout', 'timeout: the provider did not answer in time');
  const status =
    error instanceof OperationProcessingError && error.cause instanceof Response
      ? error.cause.status
      : 0;
  if (status >= 500)
    return new OidcError('server_error', `server_error: the provider answered ${status}`);
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string'
      ? error.code
      : 'unknown';
  return new OidcError(code, `${code}: ${message}`);
}

/** Parameters of an authorization response, removed from the address bar once handled. */
const RESPONSE_PARAMS = [
  'code',
  'state',
  'session_state',
  'iss',
  'error',
  'error_description',
  'error_uri',
];

/** The URL without the parameters of an authorization response. */
export function withoutResponse(url: URL): URL {
  const clean = new URL(url);
  for (const name of RESPONSE_PARAMS) clean.searchParams.delete(name);
  if (/(^|&)(state|access_token|id_token|error)=/.test(clean.hash.slice(1))) clean.hash = '';
  return clean;
}

export function withoutState(url: URL): URL {
  const clean = new URL(url);
  clean.searchParams.delete('state');
  return clean;
}

/** Replaces the address bar's URL (and the history entry): no reload, no navigation. */
export function replaceUrl(url: URL): void {
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
}

/** The current URL as the router sees it: relative to the base href (`/orders?page=2`). */
export function inAppUrl(): string {
  const base = appBaseUrl();
  return location.href.startsWith(base) ? '/' + location.href.slice(base.length) : '/';
}

/**
 * Puts the in-app URL back before the router's first navigation reads it (provideAuth runs the
 * callback in an app initializer); only URLs below this app's base href.
 */
export function restoreInAppUrl(returnUrl: string): void {
  if (!returnUrl.startsWith('/') || returnUrl.startsWith('//')) return;
  const base = appBaseUrl();
  const target = new URL('.' + returnUrl, base);
  if (target.href.startsWith(base)) replaceUrl(target);
}

/** The provider's redirect back after logout: it carries the `state` the logout request sent. */
export function isLogoutReturn(url: URL, store: SessionStore): boolean {
  const state = url.searchParams.get('state');
  const params = url.searchParams;
  return (
    !!state && !params.has('code') && !params.has('error') && state === store.takeLogoutState()
  );
}

/**
 * RP-Initiated Logout: the end-session URL, with `state` (some providers return to
 * post_logout_redirect_uri only when it is sent); else config.logoutUrl's; else null.
 */
export function endSessionUrl(
  ctx: OidcContext,
  tokens: TokenSet | null,
  store: SessionStore,
): string | null {
  if (!ctx.as.end_session_endpoint) {
    // The provider's own logout URL (config.logoutUrl), where discovery names none.
    return (
      ctx.config.logoutUrl?.({
        clientId: ctx.client.client_id,
        postLogoutRedirectUri: ctx.config.postLogoutRedirectUri,
        idToken: tokens?.idToken ?? null,
        authorizationEndpoint: ctx.as.authorization_endpoint ?? ctx.as.issuer,
      }) ?? null
    );
  }
  const url = new URL(ctx.as.end_session_endpoint);
  const state = generateRandomState();
  store.saveLogoutState(state);
  if (tokens?.idToken) url.searchParams.set('id_token_hint', tokens.idToken);
  url.searchParams.set('post_logout_redirect_uri', ctx.config.postLogoutRedirectUri);
  url.searchParams.set('client_id', ctx.client.client_id);
  url.searchParams.set('state', state);
  return url.href;
}

const dpopHandles = new WeakMap<CryptoKeyPair, DPoPHandle>();

/**
 * With DPoP (config.dpop): the handle that signs this session's token requests, one per key pair
 * so that it keeps the provider's nonce between renewals. `create`: a new key pair (sign-in).
 */
export async function dpopHandle(
  ctx: OidcContext,
  create = false,
): Promise<DPoPHandle | undefined> {
  const support = await ctx.config.dpop?.();
  if (!support) return undefined;
  const keys = await support.sessionKeys(ctx.config, create);
  if (!keys)
    throw new OidcError('login_required', 'login_required: the DPoP key of this session is gone');
  let handle = dpopHandles.get(keys);
  if (!handle) dpopHandles.set(keys, (handle = DPoP(ctx.client, keys)));
  return handle;
}

/**
 * Runs a token request (request and response processing); a `use_dpop_nonce` answer (RFC 9449
 * section 8) is retried once, with the nonce the provider sent (kept by the handle).
 */
export async function withDpopNonceRetry<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch (error) {
    if (isDPoPNonceError(error)) return request();
    throw error;
  }
}

/** A DPoP request must get a DPoP-bound token: a Bearer answer is refused, never a silent downgrade. */
export function assertTokenType(
  response: TokenEndpointResponse,
  dpop: DPoPHandle | undefined,
): void {
  if (dpop && response.token_type.toLowerCase() !== 'dpop') {
    throw new OidcError(
      'invalid_token_type',
      `invalid_token_type: a DPoP token request was answered with a ${response.token_type} token`,
    );
  }
}
