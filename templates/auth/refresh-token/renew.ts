import { None, processRefreshTokenResponse, refreshTokenGrantRequest } from 'oauth4webapi';
import { OidcError, toOidcError, toTokenSet, type OidcContext, type TokenSet } from './oidc';
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
      'login_required: no refresh token; request the offline_access scope',
    );
  }
  try {
    const response = await refreshTokenGrantRequest(
      ctx.as,
      ctx.client,
      None(),
      current.refreshToken,
      ctx.options,
    );
    return toTokenSet(await processRefreshTokenResponse(ctx.as, ctx.client, response), current);
  } catch (error) {
    throw toOidcError(error);
  }
}
