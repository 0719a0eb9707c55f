import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { SESSION_COOKIE, writeCookie } from './cookies';
import { Bff } from './context';
import { withDeadline } from './deadline';
import { describe } from './oidc';

/**
 * POST /bff/logout: revokes the refresh token (where the provider can), ends the session, clears
 * the cookie, and answers `{ endSessionUrl }`: the provider's logout page (RP-initiated logout) the
 * browser goes to next, or null when the provider has none. A revocation that fails or takes too
 * long is logged, never a reason to keep the session.
 */
export async function logout(bff: Bff, req: Request, res: Response): Promise<void> {
  const session = await bff.sessions.fromRequest(req);
  writeCookie(res, SESSION_COOKIE, '', 0, 'Strict');
  res.set('Cache-Control', 'no-store');
  if (!session) {
    res.json({ endSessionUrl: null });
    return;
  }
  await bff.sessions.destroy(session);
  let endSessionUrl: string | null = null;
  try {
    const configuration = await bff.provider.configuration();
    const metadata = configuration.serverMetadata();
    const token = session.refreshToken ?? session.accessToken;
    if (metadata.revocation_endpoint) {
      await withDeadline(
        client.tokenRevocation(configuration, token, {
          token_type_hint: session.refreshToken ? 'refresh_token' : 'access_token',
        }),
        bff.config.requestTimeoutSeconds * 1000,
        'revocation',
      ).catch((error: unknown) => console.error('[bff] revocation failed:', describe(error)));
    }
    if (metadata.end_session_endpoint) {
      endSessionUrl = client.buildEndSessionUrl(configuration, {
        post_logout_redirect_uri: `${bff.config.origin}/`,
        ...(session.idToken ? { id_token_hint: session.idToken } : {}),
      }).href;
    }
  } catch (error) {
    console.error('[bff] logout: provider unavailable:', describe(error));
  }
  res.json({ endSessionUrl });
}
