import { ApplicationInitStatus, PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AuthService } from './auth.service';
import { AUTH_CONFIG, AuthConfig, provideAuth } from './provide-auth';

const config: AuthConfig = {
  authority: 'https://provide-spec.example.com',
  clientId: 'spa',
  scope: 'openid',
  renewBeforeSeconds: 30,
  storage: 'session',
  secureRoutes: [],
};

async function start(platform: 'browser' | 'server'): Promise<AuthService> {
  TestBed.configureTestingModule({
    providers: [provideAuth(config), { provide: PLATFORM_ID, useValue: platform }],
  });
  await TestBed.inject(ApplicationInitStatus).donePromise;
  return TestBed.inject(AuthService);
}

describe('provideAuth', () => {
  const realFetch = globalThis.fetch;
  const realError = console.error;
  let logged: unknown[];

  beforeEach(() => {
    logged = [];
    console.error = (...args: unknown[]) => logged.push(args);
    globalThis.fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const tokens = {
      accessToken: 'at',
      idToken: null,
      refreshToken: null,
      expiresAt: Date.now() + 60_000,
    };
    sessionStorage.setItem('auth.session', JSON.stringify(tokens));
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    console.error = realError;
    globalThis.fetch = realFetch;
    sessionStorage.removeItem('auth.session');
  });

  it('provides the config and restores the session at start-up in the browser', async () => {
    const auth = await start('browser');
    expect(TestBed.inject(AUTH_CONFIG)).toBe(config);
    expect(auth.accessToken()).toBe('at');
  });

  it('does nothing at start-up on the server', async () => {
    const auth = await start('server');
    expect(auth.isAuthenticated()).toBe(false);
  });

  it('starts signed out when the sign-in callback fails', async () => {
    const original = location.href;
    history.replaceState(null, '', '/?code=c&state=s#access_token=a&state=s');
    try {
      const auth = await start('browser');
      expect(auth.isAuthenticated()).toBe(false);
      expect(logged.length).toBe(1);
    } finally {
      history.replaceState(null, '', original);
    }
  });
});
