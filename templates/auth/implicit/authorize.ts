import { validateAuthResponse } from 'oauth4webapi';
import { base64url, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import {
  OidcError,
  buildAuthorizationUrl,
  expiresAtFrom,
  providerClockOffset,
  toOidcError,
  type OidcContext,
  type TokenSet,
} from './oidc';
import type { SessionStore } from './session-store';

/**
 * Implicit flow (`response_type=id_token token`). Deprecated by RFC 9700 (OAuth 2.0 Security BCP):
 * prefer the authorization code flow with PKCE where the provider allows it.
 */
export async function createAuthorizationUrl(
  ctx: OidcContext,
  redirectUri: string,
  store: SessionStore,
  prompt?: 'none',
  idTokenHint?: string | null,
): Promise<URL> {
  const params = { response_type: 'id_token token' };
  return buildAuthorizationUrl(ctx, store, { redirectUri, params, prompt, idTokenHint });
}

/** True for a redirect back from the provider: `#access_token&state` or `#error&state`. */
export function isAuthorizationResponse(url: URL): boolean {
  const params = new URLSearchParams(url.hash.slice(1));
  return params.has('state') && (params.has('access_token') || params.has('error'));
}

/**
 * Checks state, iss and the provider's error (oauth4webapi), then the id_token (jose): signature
 * against the provider's JWKS, iss, aud, exp, nonce, and at_hash binding it to the access token.
 */
export async function completeAuthorization(
  ctx: OidcContext,
  _redirectUri: string,
  store: SessionStore,
  url: URL,
): Promise<TokenSet> {
  const params = new URLSearchParams(url.hash.slice(1));
  const pending = store.takePending(params.get('state') ?? '');
  if (!pending)
    throw new OidcError('invalid_state', 'invalid_state: no pending authorization has this state');
  const idToken = params.get('id_token');
  const accessToken = params.get('access_token');
  // validateAuthResponse refuses implicit responses, so it is handed the parameters without the
  // id_token. A response with an id_token may omit `iss` (RFC 9207): the id_token's iss is checked.
  params.delete('id_token');
  const as = idToken
    ? { ...ctx.as, authorization_response_iss_parameter_supported: false }
    : ctx.as;
  try {
    validateAuthResponse(as, ctx.client, params, pending.state);
    if (!idToken || !accessToken)
      throw new OidcError('invalid_response', 'invalid_response: id_token or access_token missing');
    const { payload, protectedHeader } = await jwtVerify(idToken, jwks(ctx), {
      issuer: ctx.as.issuer,
      audience: ctx.client.client_id,
      requiredClaims: ['sub', 'iat', 'exp', 'nonce', 'at_hash'],
      clockTolerance: 60,
      // On the provider's clock (from the id_token's iat), so a client clock minutes off still
      // signs in; a replayed response is refused by its single-use state and nonce.
      currentDate: new Date(Date.now() + providerClockOffset(idToken) * 1000),
    });
    if (payload['nonce'] !== pending.nonce)
      throw new OidcError('invalid_nonce', 'invalid_nonce: id_token nonce mismatch');
    if (
      Array.isArray(payload.aud) &&
      payload.aud.length > 1 &&
      payload['azp'] !== ctx.client.client_id
    ) {
      throw new OidcError('invalid_id_token', 'invalid_id_token: azp is not this client');
    }
    if (payload['at_hash'] !== (await tokenHash(accessToken, protectedHeader.alg))) {
      throw new OidcError(
        'invalid_id_token',
        'invalid_id_token: at_hash does not match the access token',
      );
    }
    const expiresAt = expiresAtFrom(params.get('expires_in'));
    return { accessToken, idToken, refreshToken: null, expiresAt };
  } catch (error) {
    throw toOidcError(error);
  }
}

const keySets = new Map<string, JWTVerifyGetKey>();

function jwks(ctx: OidcContext): JWTVerifyGetKey {
  const uri = ctx.as.jwks_uri;
  if (!uri) throw new OidcError('invalid_configuration', 'the provider has no jwks_uri');
  let keys = keySets.get(uri);
  const timeoutDuration = ctx.config.requestTimeoutSeconds * 1000;
  if (!keys) keySets.set(uri, (keys = createRemoteJWKSet(new URL(uri), { timeoutDuration })));
  return keys;
}

/** at_hash: base64url of the left half of the access token's hash, the hash named by the JWS alg. */
async function tokenHash(accessToken: string, alg: string): Promise<string> {
  const bits = alg === 'EdDSA' || alg === 'Ed25519' ? '512' : alg.slice(-3);
  if (!['256', '384', '512'].includes(bits))
    throw new OidcError('invalid_id_token', `invalid_id_token: unsupported alg ${alg}`);
  const digest = new Uint8Array(
    await crypto.subtle.digest(`SHA-${bits}`, new TextEncoder().encode(accessToken)),
  );
  return base64url.encode(digest.slice(0, digest.length / 2));
}
