import { PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router';
import { authGuard } from './auth.guard';
import { AuthService } from './auth.service';
import {
  GlobalFakes,
  clearAuthStorage,
  configureAuth,
  signIn,
  sleep,
  storeSession,
  testTokens,
  waitFor,
  testAuthConfig,
} from './auth.testing';

const config = testAuthConfig({ authority: 'https://guard-spec.example.com' });

describe('authGuard', () => {
  const fakes = new GlobalFakes();
  let fetches: number;
  let logged: unknown[];

  function setup(platform: 'browser' | 'server'): void {
    configureAuth(config, { provide: PLATFORM_ID, useValue: platform });
  }

  function runGuard(): Promise<unknown> {
    const state = { url: '/admin' } as RouterStateSnapshot;
    return Promise.resolve(
      TestBed.runInInjectionContext(() => authGuard({} as ActivatedRouteSnapshot, state)),
    );
  }

  beforeEach(() => {
    fetches = 0;
    logged = [];
    // Discovery fails, so the login the guard starts never leaves the test page.
    fakes.offline(() => fetches++);
    fakes.consoleError(logged);
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
  });

  it('lets a signed-in user through', async () => {
    setup('browser');
    await signIn();
    expect(await runGuard()).toBe(true);
  });

  it('starts the login in the browser otherwise', async () => {
    setup('browser');
    expect(await runGuard()).toBe(false);
    await waitFor(() => fetches > 0);
    expect(fetches).toBe(1);
    expect(logged.length).toBe(1);
  });

  it("waits for start-up: run before provideAuth's initializer (a blocking initial navigation), it sees the stored session", async () => {
    setup('browser');
    storeSession(testTokens({ idToken: null, refreshToken: null }), config);
    const auth = TestBed.inject(AuthService);
    expect(auth.ready()).toBe(false);
    expect(await runGuard()).toBe(true);
    expect(auth.ready()).toBe(true);
    await sleep(20);
    expect(fetches).toBe(0);
  });

  it('refuses without starting a login on the server', async () => {
    setup('server');
    expect(await runGuard()).toBe(false);
    await sleep(20);
    expect(fetches).toBe(0);
  });

  it('starts no other login after a sign-in that failed in this page load', async () => {
    setup('browser');
    const original = location.href;
    history.replaceState(null, '', '/?code=c&state=not-ours#access_token=a&state=not-ours');
    try {
      await TestBed.inject(AuthService).handleAuthentication();
    } finally {
      history.replaceState(null, '', original);
    }
    const before = fetches;
    expect(TestBed.inject(AuthService).lastSignInError()).not.toBeNull();
    expect(await runGuard()).toBe(false);
    await sleep(50);
    expect(fetches).toBe(before);
  });
});
