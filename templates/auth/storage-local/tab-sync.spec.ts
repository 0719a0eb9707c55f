import { TestBed } from '@angular/core/testing';
import { AuthEvent, AuthService, TOKEN_RENEWAL } from './auth.service';
import {
  GlobalFakes,
  clearAuthStorage,
  configureAuth,
  discoveryDocument,
  jsonResponse,
  sessionKey,
  sleep,
  storeSession,
  testAuthConfig,
  testTokens,
} from './auth.testing';
import { TokenSet } from './oidc';

const issuer = 'https://tab-sync-spec.example.com';
const config = testAuthConfig({ authority: issuer, renewBeforeSeconds: 1, storage: 'local' });
const key = sessionKey(config);

const tokens = (accessToken: string, expiresInMs: number): TokenSet =>
  testTokens({ accessToken, expiresAt: Date.now() + expiresInMs });

describe('TabSync: tabs sharing one session (storage: local)', () => {
  const fakes = new GlobalFakes();
  let requests: number;
  let renewals: number;
  let events: AuthEvent[];
  let auth: AuthService;

  async function signIn(expiresInMs: number): Promise<void> {
    storeSession(tokens('at1', expiresInMs), config, localStorage);
    await auth.handleAuthentication();
    auth.scheduleRenewal();
  }

  /** Another tab's write: the browser stores the value, then fires 'storage' in the other tabs. */
  function otherTabWrites(name: string, value: TokenSet | null, storageArea = localStorage): void {
    const newValue = value && JSON.stringify(value);
    if (newValue) storageArea.setItem(name, newValue);
    else storageArea.removeItem(name);
    window.dispatchEvent(new StorageEvent('storage', { key: name, newValue, storageArea }));
  }

  beforeEach(() => {
    requests = 0;
    renewals = 0;
    events = [];
    fakes.fetch(() => (requests++, jsonResponse(discoveryDocument(issuer))));
    configureAuth(config, {
      provide: TOKEN_RENEWAL,
      useValue: async () => (renewals++, tokens('renewed-here', 60_000)),
    });
    auth = TestBed.inject(AuthService);
    auth.events.subscribe((event) => events.push(event));
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
  });

  it("adopts another tab's new tokens without a request, and re-arms renewal for them", async () => {
    await signIn(1_200); // renewal due in 200 ms
    otherTabWrites(key, tokens('from-other-tab', 60_000));
    expect(auth.accessToken()).toBe('from-other-tab');
    expect(events.map((e) => e.type)).toEqual(['renewed']);
    await sleep(400); // past the renewal due for the old tokens
    expect(auth.accessToken()).toBe('from-other-tab');
    expect(renewals).toBe(0);
    expect(requests).toBe(0);
  });

  it('adopts the tokens another tab stored before this one renews', async () => {
    await signIn(60_000);
    localStorage.setItem(key, JSON.stringify(tokens('from-other-tab', 120_000)));
    await auth.renewToken();
    expect(renewals).toBe(0);
    expect(auth.accessToken()).toBe('from-other-tab');
  });

  it('signs in when another tab signs in', () => {
    otherTabWrites(key, tokens('from-other-tab', 60_000));
    expect(auth.accessToken()).toBe('from-other-tab');
    expect(events.map((e) => e.type)).toEqual(['signed-in']);
  });

  it('signs out, without revoking or renewing, when another tab clears the session', async () => {
    await signIn(1_200);
    otherTabWrites(key, null);
    expect(auth.isAuthenticated()).toBe(false);
    expect(events.map((e) => e.type)).toEqual(['signed-out']);
    await sleep(400);
    expect(renewals).toBe(0);
    expect(requests).toBe(0);
  });

  it("ignores other keys, another app's session and the same key in sessionStorage", async () => {
    await signIn(60_000);
    localStorage.setItem(key, JSON.stringify(tokens('unannounced', 120_000)));
    otherTabWrites('auth.returnTo', null);
    otherTabWrites('other.key', tokens('other', 120_000));
    otherTabWrites(sessionKey({ ...config, clientId: 'other-app' }), tokens('other-app', 120_000));
    otherTabWrites(key, tokens('other-storage', 120_000), sessionStorage);
    expect(auth.accessToken()).toBe('at1');
    expect(events).toEqual([]);
  });
});
