import { TestBed } from '@angular/core/testing';
import { AuthEvent, AuthService, TOKEN_RENEWAL } from './auth.service';
import {
  GlobalFakes,
  clearAuthStorage,
  configureAuth,
  discoveryDocument,
  formBody,
  jsonResponse,
  sessionKey,
  sleep,
  waitFor,
  storeSession,
  testAuthConfig,
  testTokens,
} from './auth.testing';
import { OidcError, TokenSet } from './oidc';

const issuer = 'https://service-spec.example.com';
const config = testAuthConfig({ authority: issuer, renewBeforeSeconds: 1 });
const metadata = { ...discoveryDocument(issuer), revocation_endpoint: `${issuer}/revoke` };

const tokens = (accessToken: string, expiresInMs: number): TokenSet =>
  testTokens({ accessToken, expiresAt: Date.now() + expiresInMs });

/** An unsigned id_token for `sub` (the service reads its claims; the protocol code verified it). */
const idTokenFor = (sub: string) =>
  `e30.${btoa(JSON.stringify({ iss: issuer, sub })).replace(/=+$/, '')}.sig`;

const stored = () => sessionStorage.getItem(sessionKey(config));

describe('AuthService', () => {
  const fakes = new GlobalFakes();
  let revoked: string[];
  let revocationStatus: number;
  let renewals: number;
  let renew: (current: TokenSet) => Promise<TokenSet>;
  let events: AuthEvent[];
  let auth: AuthService;
  let realNow: () => number;

  async function signIn(expiresInMs: number): Promise<void> {
    storeSession(tokens('at1', expiresInMs), config);
    await auth.handleAuthentication();
  }

  /** Moves the wall clock forward, as a sleeping laptop or a frozen tab sees it on waking. */
  function sleepFor(ms: number): void {
    const now = Date.now();
    Date.now = () => now + ms;
  }

  beforeEach(() => {
    realNow = Date.now;
    revoked = [];
    revocationStatus = 200;
    renewals = 0;
    events = [];
    renew = async () => tokens('at2', 60_000);
    fakes.fetch((url, init) => {
      if (url.endsWith('/revoke')) {
        revoked.push(formBody(init).get('token') ?? '');
        return new Response(null, { status: revocationStatus });
      }
      return jsonResponse(metadata);
    });
    configureAuth(config, {
      provide: TOKEN_RENEWAL,
      useValue: (_ctx: unknown, _store: unknown, current: TokenSet) => (renewals++, renew(current)),
    });
    auth = TestBed.inject(AuthService);
    auth.events.subscribe((event) => events.push(event));
  });

  afterEach(() => {
    Date.now = realNow;
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
  });

  it('restores a stored session', async () => {
    await signIn(60_000);
    expect(auth.isAuthenticated()).toBe(true);
    expect(auth.accessToken()).toBe('at1');
    expect(auth.idToken()).toBe('id');
    expect(auth.expiresAt()).toBeGreaterThan(Date.now());
  });

  it('keeps the sessions of two apps on one origin apart (keys namespaced by client and authority)', async () => {
    storeSession(tokens('other-app', 60_000), { ...config, clientId: 'other-app' });
    await auth.handleAuthentication();
    expect(auth.isAuthenticated()).toBe(false);
    await signIn(60_000);
    await auth.logout();
    expect(sessionStorage.getItem(sessionKey({ ...config, clientId: 'other-app' }))).toContain(
      'other-app',
    );
  });

  it('renews a stored session whose access token expired, never handing out the expired token', async () => {
    storeSession(tokens('at1', -1), config);
    renew = async () => (await sleep(10), tokens('at2', 60_000));
    const restoring = auth.handleAuthentication();
    expect(auth.accessToken()).toBeNull();
    await restoring;
    expect(renewals).toBe(1);
    expect(auth.accessToken()).toBe('at2');
    expect(events.map((e) => e.type)).toEqual(['renewed']);
  });

  it('ends a stored session whose access token expired when the provider refuses to renew it', async () => {
    renew = async () => {
      throw new OidcError('invalid_grant', 'invalid_grant: refresh token expired');
    };
    await signIn(-1);
    expect(renewals).toBe(1);
    expect(auth.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['session-ended']);
  });

  it('keeps an expired session while the provider cannot be reached, and renews once it can', async () => {
    renew = async () => {
      throw new OidcError('network', 'network: Failed to fetch');
    };
    await signIn(-1);
    auth.scheduleRenewal();
    expect(auth.isAuthenticated()).toBe(false);
    expect(auth.accessToken()).toBeNull();
    expect(stored()).toContain('at1');
    expect(events).toEqual([{ type: 'renew-failed', error: 'network: Failed to fetch' }]);
    renew = async () => tokens('at2', 60_000);
    sleepFor(2_500); // past the first backoff step's rate limit
    window.dispatchEvent(new Event('online'));
    await waitFor(() => auth.accessToken() === 'at2');
    expect(renewals).toBe(2);
    expect(events.map((e) => e.type)).toEqual(['renew-failed', 'renewed']);
  });

  it('compares with the clock when read: an expired token is never handed out, even before its timer runs', async () => {
    await signIn(60_000);
    auth.scheduleRenewal();
    renew = async () => (await sleep(10), tokens('at2', 180_000));
    sleepFor(120_000); // the tab slept for two minutes: none of its timers has fired yet
    expect(auth.accessToken()).toBeNull();
    expect(auth.isAuthenticated()).toBe(false);
    await waitFor(() => auth.accessToken() !== null);
    expect(auth.accessToken()).toBe('at2');
    expect(renewals).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['renewed']);
  });

  it('waits for the renewal in flight when asked for a valid token: one renewal for all callers', async () => {
    await signIn(60_000);
    auth.scheduleRenewal();
    renew = async () => (await sleep(20), tokens('at2', 180_000));
    sleepFor(120_000);
    const all = await Promise.all([1, 2, 3, 4, 5].map(() => auth.validAccessToken()));
    expect(all).toEqual(['at2', 'at2', 'at2', 'at2', 'at2']);
    expect(renewals).toBe(1);
  });

  it('after a failed renewal, callers that need a token wait for one early retry (2 s after the failure)', async () => {
    renew = async () => {
      throw new OidcError('server_error', 'server_error: the provider answered 503');
    };
    await signIn(-1); // expired, and the provider is down: a retry is scheduled
    expect(renewals).toBe(1);
    renew = async () => tokens('at2', 60_000); // the provider is back
    const started = performance.now();
    const all = await Promise.all([1, 2, 3].map(() => auth.validAccessToken()));
    expect(all).toEqual(['at2', 'at2', 'at2']);
    expect(renewals).toBe(2); // one retry for the three callers
    expect(performance.now() - started).toBeGreaterThan(1_500); // not sooner than 2 s after the failure
  });

  it('going online shortly after a failure retries 2 s after it, not at the next backoff step', async () => {
    renew = async () => {
      throw new OidcError('network', 'network: Failed to fetch');
    };
    await signIn(-1);
    auth.scheduleRenewal();
    await auth.renewToken().catch(() => undefined); // second failure: the next step is 4 s away
    expect(renewals).toBe(2);
    renew = async () => tokens('at2', 60_000);
    const online = performance.now();
    window.dispatchEvent(new Event('online'));
    await waitFor(() => auth.accessToken() === 'at2', 3_500);
    expect(renewals).toBe(3);
    expect(performance.now() - online).toBeLessThan(3_000);
  });

  it('renews renewBeforeSeconds before expiry, then reschedules', async () => {
    await signIn(1_050);
    auth.scheduleRenewal();
    await waitFor(() => auth.accessToken() === 'at2');
    expect(renewals).toBe(1);
    expect(events.map((e) => e.type)).toEqual(['renewed']);
    expect(stored()).toContain('at2');
  });

  it('does not renew once unscheduled, and ends the session at expiry', async () => {
    await signIn(1_050);
    auth.scheduleRenewal();
    auth.unscheduleRenewal();
    await waitFor(() => events.length > 0);
    expect(renewals).toBe(0);
    expect(events[0].type).toBe('session-ended');
    expect(events[0].error).toContain('expired');
  });

  it('shares one in-flight renewal between concurrent calls', async () => {
    await signIn(60_000);
    renew = async () => (await sleep(20), tokens('at2', 60_000));
    const first = auth.renewToken();
    const second = auth.renewToken();
    expect(second).toBe(first);
    await first;
    expect(renewals).toBe(1);
  });

  it('ends the session when the provider refuses to renew, without retrying', async () => {
    await signIn(60_000);
    renew = async () => {
      throw new OidcError('invalid_grant', 'invalid_grant: refresh token revoked');
    };
    const error = await auth.renewToken().catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('invalid_grant');
    expect(auth.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
    expect(events).toEqual([
      { type: 'session-ended', error: 'invalid_grant: refresh token revoked' },
    ]);
    await sleep(50);
    expect(renewals).toBe(1);
  });

  it('ends the session when a renewal returns another user (OIDC Core 12.2)', async () => {
    storeSession({ ...tokens('at1', 60_000), idToken: idTokenFor('alice') }, config);
    await auth.handleAuthentication();
    renew = async () => ({ ...tokens('at2', 60_000), idToken: idTokenFor('mallory') });
    await auth.renewToken().catch(() => undefined);
    expect(auth.accessToken()).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['session-ended']);
    expect(events[0].error).toContain('user_changed');
  });

  it('keeps the session when renewal fails for a network fault, and retries with backoff', async () => {
    await signIn(60_000);
    auth.scheduleRenewal();
    renew = async () => {
      throw new OidcError('timeout', 'timeout: the provider did not answer in time');
    };
    await auth.renewToken().catch(() => undefined);
    expect(auth.accessToken()).toBe('at1');
    expect(events).toEqual([
      { type: 'renew-failed', error: 'timeout: the provider did not answer in time' },
    ]);
    window.dispatchEvent(new Event('online')); // within the rate limit: no extra request
    expect(renewals).toBe(1);
    await waitFor(() => renewals === 2, 4_000); // the first backoff step: 2 s
    expect(auth.accessToken()).toBe('at1');
  });

  it('warns once when the provider issues tokens shorter-lived than renewBeforeSeconds', async () => {
    await signIn(60_000);
    renew = async () => tokens('at2', 500); // lives 0.5 s; renewBeforeSeconds is 1
    await auth.renewToken();
    expect(events.map((e) => e.type)).toEqual(['renewed', 'warning']);
    expect(events[1].error).toContain('short_lifetime');
    await sleep(300);
    expect(renewals).toBe(1); // renewals are at least 5 s apart: no loop
  });

  it("warns ahead of the session's fixed end and, past it, ends the session without a renewal request", async () => {
    TestBed.resetTestingModule();
    configureAuth(
      { ...config, sessionWarningSeconds: 1 },
      {
        provide: TOKEN_RENEWAL,
        useValue: (_ctx: unknown, _store: unknown, current: TokenSet) => (
          renewals++,
          renew(current)
        ),
      },
    );
    auth = TestBed.inject(AuthService);
    auth.events.subscribe((event) => events.push(event));
    // The refresh token ends before the renewal would be due (expiresAt - 1 s).
    const end = Date.now() + 150;
    storeSession({ ...tokens('at1', 1_200), sessionEndsAt: end }, config);
    await auth.handleAuthentication();
    auth.scheduleRenewal();
    expect(auth.sessionEndsAt()).toBe(end);
    await waitFor(() => events.length > 0);
    expect(events[0].type).toBe('warning');
    expect(events[0].error).toMatch(/^session_limit: the session ends at /);
    await waitFor(() => events.length > 1, 3_000);
    expect(events[1].type).toBe('session-ended');
    expect(events[1].error).toMatch(/^session_limit: /);
    expect(renewals).toBe(0);
    expect(auth.isAuthenticated()).toBe(false);
  });

  it("keeps the session's fixed end across renewals that do not say", async () => {
    const end = Date.now() + 3_600_000;
    storeSession({ ...tokens('at1', 60_000), sessionEndsAt: end }, config);
    await auth.handleAuthentication();
    await auth.renewToken();
    expect(auth.accessToken()).toBe('at2');
    expect(auth.sessionEndsAt()).toBe(end);
    expect(events.map((e) => e.type)).toEqual(['renewed']);
  });

  it('revokes the tokens and signs out', async () => {
    await signIn(60_000);
    await auth.logout();
    expect(revoked.sort()).toEqual(['at1', 'rt']);
    expect(auth.isAuthenticated()).toBe(false);
    expect(stored()).toBeNull();
    expect(events).toEqual([{ type: 'signed-out' }]);
  });

  it('with DPoP, logout resolves (and would leave for the provider) only once the key is deleted', async () => {
    let forgotten = false;
    TestBed.resetTestingModule();
    configureAuth({
      ...config,
      dpop: async () => ({
        sessionKeys: async () => null,
        proof: async () => '',
        forgetKeys: async () => (await sleep(20), void (forgotten = true)),
      }),
    });
    auth = TestBed.inject(AuthService);
    await signIn(60_000);
    await auth.logout();
    expect(forgotten).toBe(true);
  });

  it('says so when the provider refuses to revoke, and signs out all the same', async () => {
    const warned: unknown[] = [];
    const realWarn = console.warn;
    console.warn = (...args: unknown[]) => warned.push(args);
    try {
      revocationStatus = 401;
      await signIn(60_000);
      await auth.logout();
    } finally {
      console.warn = realWarn;
    }
    expect(auth.isAuthenticated()).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['signed-out']);
    expect(events[0].error).toContain('revocation_failed');
    expect(warned.length).toBe(1);
  });

  it('reports a callback it did not ask for as sign-in-failed, cleans the URL and keeps the stored session', async () => {
    const original = location.href;
    storeSession(tokens('at1', 60_000), config);
    history.replaceState(null, '', '/?code=c&state=forged#access_token=a&state=forged');
    try {
      await auth.handleAuthentication();
      expect(location.search).toBe('');
      expect(location.hash).toBe('');
    } finally {
      history.replaceState(null, '', original);
    }
    expect(auth.accessToken()).toBe('at1');
    expect(events.map((e) => e.type)).toEqual(['sign-in-failed']);
    expect(events[0].error).toContain('invalid_state');
    expect(auth.lastSignInError()).toContain('invalid_state');
  });
});
