import { PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot } from '@angular/router';
import { authGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { AUTH_CONFIG, AuthConfig } from './provide-auth';

const config: AuthConfig = {
  authority: 'https://guard-spec.example.com',
  clientId: 'spa',
  scope: 'openid',
  renewBeforeSeconds: 30,
  storage: 'session',
  secureRoutes: [],
};

describe('authGuard', () => {
  const realFetch = globalThis.fetch;
  const realError = console.error;
  let fetches: number;
  let logged: unknown[];

  function setup(platform: 'browser' | 'server'): void {
    TestBed.configureTestingModule({
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: PLATFORM_ID, useValue: platform },
      ],
    });
  }

  function runGuard(): unknown {
    const state = { url: '/admin' } as RouterStateSnapshot;
    return TestBed.runInInjectionContext(() => authGuard({} as ActivatedRouteSnapshot, state));
  }

  beforeEach(() => {
    fetches = 0;
    logged = [];
    // Discovery fails, so the login the guard starts never leaves the test page.
    globalThis.fetch = (async () => {
      fetches++;
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    console.error = (...args: unknown[]) => logged.push(args);
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
    console.error = realError;
    sessionStorage.removeItem('auth.session');
  });

  it('lets a signed-in user through', async () => {
    setup('browser');
    const tokens = {
      accessToken: 'at',
      idToken: null,
      refreshToken: null,
      expiresAt: Date.now() + 60_000,
    };
    sessionStorage.setItem('auth.session', JSON.stringify(tokens));
    await TestBed.inject(AuthService).handleAuthentication();
    expect(runGuard()).toBe(true);
  });

  it('starts the login in the browser otherwise', async () => {
    setup('browser');
    expect(runGuard()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fetches).toBe(1);
    expect(logged.length).toBe(1);
  });

  it('refuses without starting a login on the server', async () => {
    setup('server');
    expect(runGuard()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fetches).toBe(0);
  });
});
