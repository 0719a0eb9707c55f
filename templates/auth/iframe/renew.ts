import { createAuthorizationUrl, completeAuthorization } from './authorize';
import { OidcError, type OidcContext, type TokenSet } from './oidc';
import type { SessionStore } from './session-store';
import { runSilentRenewFrame } from './silent-renew-frame';

/**
 * Renews through a hidden iframe: an authorization request with prompt=none to silentRenewUri,
 * whose answer passes the same state, nonce and issuer checks as the main callback.
 */
export async function renewTokens(
  ctx: OidcContext,
  store: SessionStore,
  current: TokenSet,
): Promise<TokenSet> {
  const redirectUri = ctx.config.silentRenewUri;
  const request = await createAuthorizationUrl(ctx, redirectUri, store, 'none', current.idToken);
  const response = await runSilentRenewFrame(request, ctx.config.silentRenewTimeoutSeconds * 1000);
  try {
    return await completeAuthorization(ctx, redirectUri, store, new URL(response, redirectUri));
  } catch (error) {
    if (error instanceof OidcError && error.code === 'login_required') {
      throw new OidcError(
        'login_required',
        'login_required: the provider session was not visible to the hidden iframe; ' +
          'third-party cookies are probably blocked — use refresh-token renewal',
      );
    }
    throw error;
  }
}
