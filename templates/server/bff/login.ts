import type { Request, Response } from 'express';
import * as client from 'openid-client';
import { LOGIN_COOKIE, writeCookie } from './cookies';
import { Bff } from './context';
import { describe } from './oidc';
import { safeReturnTo } from './return-to';
import { hashOf } from './sessions';

/** A sign-in in progress, kept on the server (sealed) for LOGIN_TTL_MS. */
export interface PendingLogin {
  verifier: string;
  state: string;
  nonce: string;
  returnTo: string;
}

export const LOGIN_TTL_MS = 10 * 60_000;
export const loginKey = (id: string) => `login:${hashOf(id)}`;

/**
 * GET /bff/login?returnTo=/path: a top-level navigation to the provider, code flow with PKCE
 * (S256), state and nonce; all three stay on the server, tied to this browser by a short-lived
 * cookie holding a random id.
 */
export async function login(bff: Bff, req: Request, res: Response): Promise<void> {
  let configuration: client.Configuration;
  try {
    configuration = await bff.provider.configuration();
  } catch (error) {
    res
      .status(502)
      .set('Cache-Control', 'no-store')
      .type('text')
      .send(`The sign-in service is unavailable: ${describe(error)}`);
    return;
  }
  const pending: PendingLogin = {
    verifier: client.randomPKCECodeVerifier(),
    state: client.randomState(),
    nonce: client.randomNonce(),
    returnTo: safeReturnTo(req.query['returnTo']),
  };
  const id = client.randomState();
  const key = loginKey(id);
  await bff.store.set(key, await bff.sealer.seal(key, pending), LOGIN_TTL_MS);
  const url = client.buildAuthorizationUrl(configuration, {
    redirect_uri: bff.redirectUri,
    scope: bff.config.scope,
    code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  });
  writeCookie(res, LOGIN_COOKIE, id, LOGIN_TTL_MS / 1000, 'Lax');
  res.set('Cache-Control', 'no-store').redirect(303, url.href);
}
