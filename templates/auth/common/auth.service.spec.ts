import { TestBed } from '@angular/core/testing';
import { AuthEvent, AuthService, TOKEN_RENEWAL } from './auth.service';
import {
  GlobalFakes,
  clearAuthStorage,
  configureAuth,
  discoveryDocument,
  formBody,
  jsonResponse,
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

describe('AuthService', () => {
  const fakes = new GlobalFakes();
  let revoked: string[];
  let renewals: number;
  let renew: (current: TokenSet) => Promise<TokenSet>;
  let events: AuthEvent[];
  let auth: AuthService;

  async function signIn(expiresInMs: number): Promise<void> {
    storeSession(tokens('at1', expiresInMs));
    await auth.handleAuthentication();
  }

  beforeEach(() => {
    revoked = [];
    renewals = 0;
    events = [];
    renew = async () => tokens('at2', 60_000);
    fakes.fetch((url, init) => {
      if (url.endsWith('/revoke')) {
        revoked.push(formBody(init).get('token') ?? '');
        return new Response(null, { status: 200 });
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

  it('renews a stored session whose access token expired, never handing out the expired token', async () => {
    storeSession(tokens('at1', -1));
    renew = async () => (await sleep(10), tokens('at2', 60_000));
    const restoring = auth.handleAuthentication();
    expect(auth.accessToken()).toBeNull();
    await restoring;
    expect(renewals).toBe(1);
    expect(auth.accessToken()).toBe('at2');
    expect(events.map((e) => e.type)).toEqual(['renewed']);
  });

  it('ends a stored session whose access token expired when its renewal fails', async () => {
    renew = async () => {
      throw new OidcError('invalid_grant', 'invalid_grant: refresh token expired');
    };
    await signIn(-1);
    expect(renewals).toBe(1);
    expect(auth.isAuthenticated()).toBe(false);
    expect(sessionStorage.getItem('auth.session')).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['session-ended']);
  });

  it('never hands out an expired access token', async () => {
    await signIn(50);
    expect(auth.accessToken()).toBe('at1');
    await waitFor(() => auth.accessToken() === null);
    expect(auth.accessToken()).toBeNull();
    expect(events[0].type).toBe('session-ended');
    expect(events[0].error).toContain('expired');
  });

  it('renews a tab that slept past expiry as it wakes, never handing out the expired token', async () => {
    await signIn(60_000);
    auth.scheduleRenewal();
    renew = async () => (await sleep(10), tokens('at2', 180_000));
    const realNow = Date.now;
    const later = realNow() + 120_000;
    Date.now = () => later; // the tab slept for two minutes: its timers have not fired yet
    try {
      window.dispatchEvent(new Event('focus'));
      expect(auth.accessToken()).toBeNull();
      await waitFor(() => auth.accessToken() !== null);
    } finally {
      Date.now = realNow;
    }
    expect(auth.accessToken()).toBe('at2');
    expect(events.map((e) => e.type)).toEqual(['renewed']);
  });

  it('renews renewBeforeSeconds before expiry, then reschedules', async () => {
    await signIn(1_050);
    auth.scheduleRenewal();
    await waitFor(() => auth.accessToken() === 'at2');
    expect(renewals).toBe(1);
    expect(auth.accessToken()).toBe('at2');
    expect(events.map((e) => e.type)).toEqual(['renewed']);
    expect(sessionStorage.getItem('auth.session')).toContain('at2');
  });

  it('does not renew once unscheduled', async () => {
    await signIn(1_050);
    auth.scheduleRenewal();
    auth.unscheduleRenewal();
    await sleep(150);
    expect(renewals).toBe(0);
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

  it('adopts the tokens another tab renewed instead of renewing again', async () => {
    await signIn(60_000);
    sessionStorage.setItem('auth.session', JSON.stringify(tokens('from-other-tab', 120_000)));
    await auth.renewToken();
    expect(renewals).toBe(0);
    expect(auth.accessToken()).toBe('from-other-tab');
  });

  it('ends the session when the provider refuses to renew, without retrying', async () => {
    await signIn(60_000);
    renew = async () => {
      throw new OidcError('invalid_grant', 'invalid_grant: refresh token revoked');
    };
    const error = await auth.renewToken().catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('invalid_grant');
    expect(auth.isAuthenticated()).toBe(false);
    expect(sessionStorage.getItem('auth.session')).toBeNull();
    expect(events).toEqual([
      { type: 'session-ended', error: 'invalid_grant: refresh token revoked' },
    ]);
    await sleep(50);
    expect(renewals).toBe(1);
  });

  it('keeps a still valid session when renewal fails for a network fault', async () => {
    await signIn(60_000);
    renew = async () => {
      throw new OidcError('network', 'network: Failed to fetch');
    };
    await auth.renewToken().catch(() => undefined);
    expect(auth.accessToken()).toBe('at1');
    expect(events).toEqual([{ type: 'renew-failed', error: 'network: Failed to fetch' }]);
  });

  it('revokes the tokens and signs out', async () => {
    await signIn(60_000);
    await auth.logout();
    expect(revoked.sort()).toEqual(['at1', 'rt']);
    expect(auth.isAuthenticated()).toBe(false);
    expect(sessionStorage.getItem('auth.session')).toBeNull();
    expect(events.map((e) => e.type)).toEqual(['signed-out']);
  });

  it('refuses a callback it did not ask for, and removes it from the address bar', async () => {
    const original = location.href;
    history.replaceState(null, '', '/?code=c&state=forged#access_token=a&state=forged');
    try {
      const error = await auth.handleAuthentication().catch((e: unknown) => e);
      expect((error as OidcError).code).toBe('invalid_state');
      expect(location.search).toBe('');
      expect(location.hash).toBe('');
      expect(auth.isAuthenticated()).toBe(false);
    } finally {
      history.replaceState(null, '', original);
    }
  });
});

describe('AuthService with tabs sharing one session (storage: local)', () => {
  const fakes = new GlobalFakes();
  let requests: number;
  let renewals: number;
  let events: AuthEvent[];

  function serviceWith(storage: 'local' | 'session'): AuthService {
    configureAuth(testAuthConfig({ authority: issuer, renewBeforeSeconds: 1, storage }), {
      provide: TOKEN_RENEWAL,
      useValue: async () => (renewals++, tokens('renewed-here', 60_000)),
    });
    const auth = TestBed.inject(AuthService);
    auth.events.subscribe((event) => events.push(event));
    return auth;
  }

  async function signIn(auth: AuthService, storage: Storage, expiresInMs: number): Promise<void> {
    storage.setItem('auth.session', JSON.stringify(tokens('at1', expiresInMs)));
    await auth.handleAuthentication();
    auth.scheduleRenewal();
  }

  /** Another tab's write: the browser stores the value, then fires 'storage' in the other tabs. */
  function otherTabWrites(key: string, value: TokenSet | null, storageArea = localStorage): void {
    const newValue = value && JSON.stringify(value);
    if (newValue) storageArea.setItem(key, newValue);
    else storageArea.removeItem(key);
    window.dispatchEvent(new StorageEvent('storage', { key, newValue, storageArea }));
  }

  beforeEach(() => {
    requests = 0;
    renewals = 0;
    events = [];
    fakes.fetch(() => (requests++, jsonResponse(metadata)));
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
  });

  it("adopts another tab's new tokens without a request, and re-arms renewal for them", async () => {
    const auth = serviceWith('local');
    await signIn(auth, localStorage, 1_200); // renewal due in 200 ms
    otherTabWrites('auth.session', tokens('from-other-tab', 60_000));
    expect(auth.accessToken()).toBe('from-other-tab');
    expect(events.map((e) => e.type)).toEqual(['renewed']);
    await sleep(400); // past the renewal due for the old tokens
    expect(auth.accessToken()).toBe('from-other-tab');
    expect(renewals).toBe(0);
    expect(requests).toBe(0);
  });

  it('signs in when another tab signs in', async () => {
    const auth = serviceWith('local');
    otherTabWrites('auth.session', tokens('from-other-tab', 60_000));
    expect(auth.accessToken()).toBe('from-other-tab');
    expect(events.map((e) => e.type)).toEqual(['signed-in']);
  });

  it('signs out, without revoking or renewing, when another tab clears the session', async () => {
    const auth = serviceWith('local');
    await signIn(auth, localStorage, 1_200);
    otherTabWrites('auth.session', null);
    expect(auth.isAuthenticated()).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['signed-out']);
    await sleep(400);
    expect(renewals).toBe(0);
    expect(requests).toBe(0);
  });

  it('ignores other keys, and the same key in sessionStorage', async () => {
    const auth = serviceWith('local');
    await signIn(auth, localStorage, 60_000);
    localStorage.setItem('auth.session', JSON.stringify(tokens('unannounced', 120_000)));
    otherTabWrites('auth.returnTo', null);
    otherTabWrites('other.key', tokens('other', 120_000));
    otherTabWrites('auth.session', tokens('other-storage', 120_000), sessionStorage);
    expect(auth.accessToken()).toBe('at1');
    expect(events).toEqual([]);
  });

  it('does nothing with storage session: each tab keeps its own session', async () => {
    const auth = serviceWith('session');
    await signIn(auth, sessionStorage, 60_000);
    otherTabWrites('auth.session', tokens('from-other-tab', 120_000));
    otherTabWrites('auth.session', null, sessionStorage);
    expect(auth.accessToken()).toBe('at1');
    expect(events).toEqual([]);
  });
});
