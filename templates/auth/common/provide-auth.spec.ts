import { ApplicationInitStatus, PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { AuthService } from './auth.service';
import {
  GlobalFakes,
  changeDetectionForTests,
  clearAuthStorage,
  storeSession,
  testAuthConfig,
  testTokens,
} from './auth.testing';
import { AUTH_CONFIG } from './auth-config';
import { provideAuth } from './provide-auth';

const config = testAuthConfig({ authority: 'https://provide-spec.example.com' });

async function start(platform: 'browser' | 'server'): Promise<AuthService> {
  TestBed.resetTestingModule();
  TestBed.configureTestingModule({
    providers: [
      ...changeDetectionForTests(),
      provideAuth(config),
      { provide: PLATFORM_ID, useValue: platform },
    ],
  });
  await TestBed.inject(ApplicationInitStatus).donePromise;
  return TestBed.inject(AuthService);
}

describe('provideAuth', () => {
  const fakes = new GlobalFakes();
  let logged: unknown[];

  beforeEach(() => {
    logged = [];
    fakes.consoleError(logged);
    fakes.offline();
    storeSession(testTokens({ idToken: null, refreshToken: null }), config);
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
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

  it('keeps the stored session when the sign-in callback fails, and reports it as an event', async () => {
    const original = location.href;
    history.replaceState(null, '', '/?code=c&state=s#access_token=a&state=s');
    try {
      const auth = await start('browser');
      expect(auth.accessToken()).toBe('at');
      expect(auth.lastSignInError()).toContain('network'); // discovery is offline in these specs
      expect(logged.length).toBe(0);
    } finally {
      history.replaceState(null, '', original);
    }
  });
});
