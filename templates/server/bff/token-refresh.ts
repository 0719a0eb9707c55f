import * as client from 'openid-client';
import { withDeadline } from './deadline';
import { providerUnavailable, sessionEnded } from './errors';
import { describe, isInvalidGrant, Provider } from './oidc';
import { hashOf, Session, Sessions } from './sessions';
import { LockTimeout, SessionStore } from './session-store';

export interface RefreshSettings {
  renewBeforeSeconds: number;
  requestTimeoutSeconds: number;
}

/**
 * Access tokens renewed on the server, one refresh per session at a time: concurrent calls in this
 * process share one attempt, and instances sharing a Redis store take a lock, then read the session
 * again (another instance may have refreshed it meanwhile). A rotated refresh token replaces the
 * old one. Only the provider's `invalid_grant` ends the session (401); a 5xx, a network error or
 * a timeout is a 502 and the session is kept.
 */
export class TokenRefresh {
  private readonly inFlight = new Map<string, Promise<Session>>();

  constructor(
    private readonly provider: Provider,
    private readonly sessions: Sessions,
    private readonly store: SessionStore,
    private readonly settings: RefreshSettings,
  ) {}

  private fresh(session: Session): boolean {
    return session.accessTokenExpiresAt - Date.now() > this.settings.renewBeforeSeconds * 1000;
  }

  /** The session with an access token good for at least renewBeforeSeconds more. */
  freshSession(session: Session): Promise<Session> {
    if (this.fresh(session)) return Promise.resolve(session);
    let attempt = this.inFlight.get(session.id);
    if (!attempt) {
      attempt = this.refreshLocked(session.id).finally(() => this.inFlight.delete(session.id));
      this.inFlight.set(session.id, attempt);
    }
    return attempt;
  }

  private async refreshLocked(id: string): Promise<Session> {
    const deadline = this.settings.requestTimeoutSeconds * 1000;
    try {
      return await this.store.withLock(
        `refresh:${hashOf(id)}`,
        deadline + 2_000,
        deadline + 5_000,
        async () => {
          const current = await this.sessions.read(id);
          if (!current) throw sessionEnded('the session ended');
          return this.fresh(current) ? current : this.refresh(current);
        },
      );
    } catch (error) {
      if (error instanceof LockTimeout)
        throw providerUnavailable('a renewal of this session is still running');
      throw error;
    }
  }

  private async refresh(session: Session): Promise<Session> {
    if (!session.refreshToken) {
      await this.sessions.destroy(session);
      throw sessionEnded('the access token expired and there is no refresh token');
    }
    let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
    try {
      const configuration = await this.provider.configuration();
      tokens = await withDeadline(
        client.refreshTokenGrant(configuration, session.refreshToken),
        this.settings.requestTimeoutSeconds * 1000,
        'token refresh',
      );
    } catch (error) {
      if (isInvalidGrant(error)) {
        await this.sessions.destroy(session);
        throw sessionEnded(describe(error));
      }
      throw providerUnavailable(`token refresh failed: ${describe(error)}`);
    }
    const sub = tokens.claims()?.sub;
    if (sub !== undefined && sub !== session.sub) {
      // A renewal must not switch the signed-in user.
      await this.sessions.destroy(session);
      throw sessionEnded('the renewed id_token names another user');
    }
    const renewed: Session = {
      ...session,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token ?? session.refreshToken,
      idToken: tokens.id_token ?? session.idToken,
      accessTokenExpiresAt: Date.now() + (tokens.expiresIn() ?? 300) * 1000,
    };
    await this.sessions.save(renewed);
    return renewed;
  }
}
