import { TestBed } from '@angular/core/testing';
import {
  clearAuthStorage,
  configureAuth,
  sessionKey,
  storeSession,
  testAuthConfig,
  testTokens,
  waitFor,
} from './auth.testing';
import { storageKey } from './session-store';
import { TabSync } from './tab-sync';

const config = testAuthConfig({ authority: 'https://tab-identity-spec.example.com' });
const tabKey = storageKey('tab', config);

/** Web Locks as other tabs see them: `held` names are held by tabs that are still open. */
class FakeLocks {
  readonly held = new Set<string>();

  async request(
    name: string,
    options: LockOptions,
    callback: (lock: Lock | null) => unknown,
  ): Promise<unknown> {
    if (this.held.has(name)) {
      if (options.ifAvailable) return callback(null);
      const signal = options.signal;
      return new Promise((_resolve, reject) =>
        signal?.addEventListener('abort', () => reject(signal.reason)),
      );
    }
    this.held.add(name);
    return callback({ name, mode: 'exclusive' } as Lock);
  }
}

describe('TabSync: each tab its own session (storage: session)', () => {
  let locks: FakeLocks;

  function tabSync(): TabSync {
    configureAuth(config);
    return TestBed.inject(TabSync);
  }

  beforeEach(() => {
    locks = new FakeLocks();
    Object.defineProperty(navigator, 'locks', { value: locks, configurable: true });
  });

  afterEach(() => {
    delete (navigator as { locks?: unknown }).locks;
    TestBed.resetTestingModule();
    clearAuthStorage();
  });

  it('a tab that signs in takes an identity of its own and keeps its refresh token', async () => {
    sessionStorage.setItem(tabKey, 'original');
    locks.held.add('auth.tab:original'); // duplicated while signed out, then signed in
    const tokens = testTokens();
    expect(await tabSync().claim(tokens, true)).toBe(tokens);
    await waitFor(() => sessionStorage.getItem(tabKey) !== 'original');
  });

  it('a new tab takes an identity of its own and keeps its refresh token', async () => {
    const tokens = testTokens();
    expect(await tabSync().claim(tokens)).toBe(tokens);
    const id = sessionStorage.getItem(tabKey);
    expect(id).toBeTruthy();
    expect(locks.held.has(`auth.tab:${id}`)).toBe(true);
  });

  it('a reloaded tab takes back its identity and keeps its refresh token', async () => {
    sessionStorage.setItem(tabKey, 'before-reload'); // the previous document let go of its lock
    const tokens = testTokens();
    expect(await tabSync().claim(tokens)).toBe(tokens);
    expect(sessionStorage.getItem(tabKey)).toBe('before-reload');
  });

  it('a duplicated tab gives up the copied refresh token: the original tab still holds it', async () => {
    sessionStorage.setItem(tabKey, 'original');
    locks.held.add('auth.tab:original'); // the tab it was duplicated from is open
    storeSession(testTokens({ refreshToken: 'rt-of-the-original' }), config);
    const claimed = await tabSync().claim(testTokens({ refreshToken: 'rt-of-the-original' }));
    expect(claimed?.refreshToken).toBeNull();
    expect(claimed?.accessToken).toBe('at');
    expect(sessionStorage.getItem(sessionKey(config))).not.toContain('rt-of-the-original');
    expect(sessionStorage.getItem(tabKey)).not.toBe('original');
  });

  it('keeps the tokens where the browser has no Web Locks', async () => {
    delete (navigator as { locks?: unknown }).locks;
    Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
    sessionStorage.setItem(tabKey, 'original');
    const tokens = testTokens();
    expect(await tabSync().claim(tokens)).toBe(tokens);
  });
});
