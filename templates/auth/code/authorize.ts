import {
  None,
  authorizationCodeGrantRequest,
  calculatePKCECodeChallenge,
  generateRandomCodeVerifier,
  processAuthorizationCodeResponse,
  validateAuthResponse,
} from 'oauth4webapi';
import {
  OidcError,
  assertTokenType,
  buildAuthorizationUrl,
  dpopHandle,
  onProviderClock,
  toOidcError,
  toTokenSet,
  type OidcContext,
  tokenRequestOptions,
  type TokenSet,
  withDpopNonceRetry,
} from './oidc';
import type { SessionStore } from './session-store';

/** Authorization code flow with PKCE (S256). */
export async function createAuthorizationUrl(
  ctx: OidcContext,
  redirectUri: string,
  store: SessionStore,
  prompt?: 'none',
  idTokenHint?: string | null,
): Promise<URL> {
  const codeVerifier = generateRandomCodeVerifier();
  const params: Record<string, string> = {
    response_type: 'code',
    code_challenge: await calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
  };
  // With DPoP, sign-in makes the session's key pair and binds the code to it (RFC 9449 section 10).
  const dpop = prompt ? undefined : await dpopHandle(ctx, true);
  if (dpop) params['dpop_jkt'] = await dpop.calculateThumbprint();
  return buildAuthorizationUrl(ctx, store, {
    redirectUri,
    params,
    codeVerifier,
    prompt,
    idTokenHint,
  });
}

/** True for a redirect back from the provider: `?code&state` or `?error&state`. */
export function isAuthorizationResponse(url: URL): boolean {
  const params = url.searchParams;
  return params.has('state') && (params.has('code') || params.has('error'));
}

/** Checks state, iss and the provider's error, then redeems the code with the PKCE verifier (nonce checked). */
export async function completeAuthorization(
  ctx: OidcContext,
  redirectUri: string,
  store: SessionStore,
  url: URL,
): Promise<TokenSet> {
  const pending = store.takePending(url.searchParams.get('state') ?? '');
  if (!pending?.codeVerifier)
    throw new OidcError('invalid_state', 'invalid_state: no pending authorization has this state');
  try {
    const params = validateAuthResponse(ctx.as, ctx.client, url, pending.state);
    const codeVerifier = pending.codeVerifier;
    const dpop = await dpopHandle(ctx);
    const result = await withDpopNonceRetry(async () => {
      const response = await authorizationCodeGrantRequest(
        ctx.as,
        ctx.client,
        None(),
        params,
        redirectUri,
        codeVerifier,
        tokenRequestOptions(ctx, dpop),
      );
      const client = await onProviderClock(ctx.client, response);
      return processAuthorizationCodeResponse(ctx.as, client, response, {
        expectedNonce: pending.nonce,
        requireIdToken: true,
      });
    });
    assertTokenType(result, dpop);
    return toTokenSet(result);
  } catch (error) {
    throw toOidcError(error);
  }
}
