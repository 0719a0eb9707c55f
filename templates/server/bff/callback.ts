import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { LOGIN_COOKIE, readCookie, SESSION_COOKIE, writeCookie } from './cookies';
import { Bff } from './context';
import { withDeadline } from './deadline';
import { describe } from './oidc';
import { loginKey, PendingLogin } from './login';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Goes on to `path` by a navigation that starts on this site: the session cookie is SameSite=Strict,
 * and the browser would not send it on a plain redirect of the provider's cross-site navigation.
 * A meta refresh, no script: it works under any Content-Security-Policy.
 */
function hop(res: Response, path: string): void {
  const href = escapeHtml(path);
  res
    .status(200)
    .set('Cache-Control', 'no-store')
    .set('Referrer-Policy', 'no-referrer')
    .type('html')
    .send(
      `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>Signing in</title><a href="${href}">Continue</a>`,
    );
}

/**
 * GET /bff/callback: checks the provider's answer against the sign-in in progress (state, PKCE,
 * nonce, issuer, through openid-client), then starts a new session with a new id and goes back to
 * the page the sign-in started from. A failure goes to `/?auth_error=<code>`: the app shows it (the
 * `sign-in-failed` event), it never loops.
 */
export async function callback(bff: Bff, req: Request, res: Response): Promise<void> {
  const id = readCookie(req, LOGIN_COOKIE);
  writeCookie(res, LOGIN_COOKIE, '', 0, 'Lax');
  const key = id ? loginKey(id) : undefined;
  const sealed = key ? await bff.store.take(key) : undefined;
  const pending = key && sealed ? await bff.sealer.open<PendingLogin>(key, sealed) : undefined;
  if (!pending) {
    hop(res, '/?auth_error=login_expired');
    return;
  }
  try {
    const configuration = await bff.provider.configuration();
    const current = new URL(req.originalUrl, bff.redirectUri);
    const tokens = await withDeadline(
      client.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      }),
      bff.config.requestTimeoutSeconds * 1000,
      'code exchange',
    );
    const claims = tokens.claims();
    if (!claims) throw new Error('no id_token');
    const previous = readCookie(req, SESSION_COOKIE);
    if (previous) await bff.sessions.destroy({ id: previous });
    const session = await bff.sessions.create({
      sub: claims.sub,
      sid: typeof claims['sid'] === 'string' ? claims['sid'] : undefined,
      claims: { ...claims },
      idToken: tokens.id_token,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      accessTokenExpiresAt: Date.now() + (tokens.expiresIn() ?? 300) * 1000,
    });
    writeCookie(res, SESSION_COOKIE, session.id, bff.absoluteMs / 1000, 'Strict');
    hop(res, pending.returnTo);
  } catch (error) {
    const code =
      error instanceof client.AuthorizationResponseError ? error.error : 'sign_in_failed';
    console.error('[bff] sign-in failed:', describe(error));
    hop(res, `/?auth_error=${encodeURIComponent(code)}`);
  }
}
