import type { Request, Response } from 'express';

/**
 * The session cookie, holding a random session id only:
 * - `__Host-Http-`: Secure, no Domain, Path=/ (only this host, over https, can set it) and, where
 *   the browser knows the `__Http` prefix (Chromium does), set with HttpOnly by a server only: no
 *   script can plant one. Browsers that do not know it still apply the `__Host-` rules;
 * - HttpOnly: no script can read it;
 * - SameSite=Strict: not sent on requests that another site starts. The sign-in callback (a
 *   navigation the provider starts) therefore answers with a same-site hop, so that the page it
 *   lands on gets the cookie.
 */
export const SESSION_COOKIE = '__Host-Http-bff-session';
/** A sign-in in progress: SameSite=Lax, as it must come back on the provider's redirect to the callback. */
export const LOGIN_COOKIE = '__Host-Http-bff-login';

/** A cookie of the request by name (undefined when absent or not a plain value). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
    }
  }
  return undefined;
}

/** Sets (or, with maxAgeSeconds 0, deletes) a `__Host-` cookie. */
export function writeCookie(
  res: Response,
  name: string,
  value: string,
  maxAgeSeconds: number,
  sameSite: 'Strict' | 'Lax',
): void {
  const cookie = `${name}=${value}; Path=/; Secure; HttpOnly; SameSite=${sameSite}; Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`;
  res.append('Set-Cookie', cookie);
}
