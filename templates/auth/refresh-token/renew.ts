import { None, processRefreshTokenResponse, refreshTokenGrantRequest } from 'oauth4webapi';
import {
  OidcError,
  assertTokenType,
  dpopHandle,
  onProviderClock,
  toOidcError,
  toTokenSet,
  tokenRequestOptions,
  withDpopNonceRetry,
  type OidcContext,
  type TokenSet,
} from './oidc';
import type { SessionStore } from './session-store';

/**
 * Renews with the refresh_token grant. A rotated refresh token replaces the old one; the old one
 * is kept only when the provider returns none.
 */
export async function renewTokens(
  ctx: OidcContext,
  _store: SessionStore,
  current: TokenSet,
): Promise<TokenSet> {
  if (!current.refreshToken) {
    throw new OidcError(
      'login_required',
      'login_required: no refresh token (the offline_access scope was not granted, or this tab ' +
        'was duplicated from another, which keeps it); sign in again',
    );
  }
  try {
    const dpop = await dpopHandle(ctx);
    const refreshToken = current.refreshToken;
    const result = await withDpopNonceRetry(async () => {
      const response = await refreshTokenGrantRequest(
        ctx.as,
        ctx.client,
        None(),
        refreshToken,
        tokenRequestOptions(ctx, dpop),
      );
      const client = await onProviderClock(ctx.client, response);
      return processRefreshTokenResponse(ctx.as, client, response);
    });
    assertTokenType(result, dpop);
    return toTokenSet(result, current);
  } catch (error) {
    throw toOidcError(error);
  }
}
