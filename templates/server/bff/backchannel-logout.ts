import type { Request, Response } from 'express';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { JWTVerifyGetKey } from 'jose';
import { Bff } from './context';
import { describe } from './oidc';

const EVENT = 'http://schemas.openid.net/event/backchannel-logout';
let keys: { uri: string; get: JWTVerifyGetKey } | undefined;

/** The provider's signing keys (jwks_uri), fetched by jose with the request deadline, cached. */
async function providerKeys(bff: Bff): Promise<JWTVerifyGetKey> {
  const uri = (await bff.provider.configuration()).serverMetadata().jwks_uri;
  if (!uri) throw new Error('the provider publishes no jwks_uri');
  if (keys?.uri !== uri) {
    keys = {
      uri,
      get: createRemoteJWKSet(new URL(uri), {
        timeoutDuration: bff.config.requestTimeoutSeconds * 1000,
      }),
    };
  }
  return keys.get;
}

/**
 * POST /bff/backchannel-logout (OpenID Connect Back-Channel Logout 1.0), called by the provider:
 * the `logout_token` is checked (signature, iss, aud, iat, the logout event, no nonce, sid or sub,
 * a jti never seen before), then every session of that provider session (or user) ends here.
 */
export async function backchannelLogout(bff: Bff, req: Request, res: Response): Promise<void> {
  res.set('Cache-Control', 'no-store');
  const token: unknown = req.body?.['logout_token'];
  try {
    if (typeof token !== 'string') throw new Error('no logout_token');
    const configuration = await bff.provider.configuration();
    const { payload } = await jwtVerify(token, await providerKeys(bff), {
      issuer: configuration.serverMetadata().issuer,
      audience: bff.config.clientId,
      maxTokenAge: '5 minutes',
    });
    const events = payload['events'];
    if (!events || typeof events !== 'object' || !(EVENT in events))
      throw new Error('not a logout event');
    if ('nonce' in payload) throw new Error('a logout token has no nonce');
    const sid = typeof payload['sid'] === 'string' ? payload['sid'] : undefined;
    if (!sid && !payload.sub) throw new Error('neither sid nor sub');
    if (!payload.jti || !(await bff.store.setIfAbsent(`jti:${payload.jti}`, '1', 10 * 60_000))) {
      throw new Error('jti missing or already used');
    }
    const ended = await bff.sessions.endProviderSession(payload.sub, sid);
    console.info(`[bff] back-channel logout: ${ended} session(s) ended`);
    res.status(200).end();
  } catch (error) {
    console.error('[bff] back-channel logout refused:', describe(error));
    res.status(400).json({ error: 'invalid_request', error_description: 'logout_token refused' });
  }
}
