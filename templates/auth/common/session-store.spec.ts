import { TestBed } from '@angular/core/testing';
import {
  clearAuthStorage,
  sessionKey,
  sessionStoreFor,
  testAuthConfig,
  testTokens,
} from './auth.testing';
import type { AuthConfig } from './auth-config';
import { SessionStore } from './session-store';

const tokens = testTokens();

function createStore(storage: AuthConfig['storage']): SessionStore {
  return sessionStoreFor(testAuthConfig({ storage }));
}

describe('SessionStore', () => {
  afterEach(() => {
    TestBed.resetTestingModule();
    clearAuthStorage();
  });

  it('keeps the session in sessionStorage', () => {
    const store = createStore('session');
    store.save(tokens);
    expect(sessionStorage.getItem(sessionKey())).toBeTruthy();
    expect(store.load()).toEqual(tokens);
    store.save(null);
    expect(sessionStorage.getItem(sessionKey())).toBeNull();
    expect(store.load()).toBeNull();
  });

  it('keeps the session in localStorage', () => {
    createStore('local').save(tokens);
    expect(localStorage.getItem(sessionKey())).toBeTruthy();
    expect(sessionStorage.getItem(sessionKey())).toBeNull();
  });

  it('keeps the session in memory only', () => {
    const store = createStore('memory');
    store.save(tokens);
    expect(store.load()).toEqual(tokens);
    expect(sessionStorage.getItem(sessionKey())).toBeNull();
    expect(localStorage.getItem(sessionKey())).toBeNull();
  });

  it('ignores a corrupt stored session', () => {
    sessionStorage.setItem(sessionKey(), '{not json');
    expect(createStore('session').load()).toBeNull();
  });

  it('hands out a pending authorization once, and only for its state', () => {
    const store = createStore('memory');
    store.savePending({ state: 's1', nonce: 'n1', codeVerifier: 'v1' });
    store.savePending({ state: 's2', nonce: 'n2' });
    expect(store.takePending('unknown')).toBeNull();
    expect(store.takePending('s1')).toEqual({ state: 's1', nonce: 'n1', codeVerifier: 'v1' });
    expect(store.takePending('s1')).toBeNull();
    expect(store.takePending('s2')?.nonce).toBe('n2');
  });

  it('hands out the return URL once', () => {
    const store = createStore('session');
    store.saveReturnUrl('/admin?tab=2');
    expect(store.takeReturnUrl()).toBe('/admin?tab=2');
    expect(store.takeReturnUrl()).toBeNull();
  });
});
