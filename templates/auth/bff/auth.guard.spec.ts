import { PLATFORM_ID } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { ActivatedRouteSnapshot, RouterStateSnapshot, UrlTree } from '@angular/router';
import { AUTH_CONFIG } from './auth-config';
import { authGuard } from './auth.guard';
import { AuthService } from './auth.service';

describe('authGuard (backend for frontend)', () => {
  let logins: (string | undefined)[];

  function run(
    platform: 'browser' | 'server',
    auth: { signedIn: boolean; failed?: string },
  ): unknown {
    logins = [];
    TestBed.configureTestingModule({
      providers: [
        { provide: PLATFORM_ID, useValue: platform },
        { provide: AUTH_CONFIG, useValue: { bffPath: '/bff' } },
        {
          provide: AuthService,
          useValue: {
            isAuthenticated: () => auth.signedIn,
            lastSignInError: () => auth.failed ?? null,
            login: async (url?: string) => void logins.push(url),
          },
        },
      ],
    });
    const state = { url: '/admin?tab=1' } as RouterStateSnapshot;
    return TestBed.runInInjectionContext(() => authGuard({} as ActivatedRouteSnapshot, state));
  }

  afterEach(() => TestBed.resetTestingModule());

  it('lets a signed-in user through, on the server and in the browser', () => {
    expect(run('server', { signedIn: true })).toBe(true);
    TestBed.resetTestingModule();
    expect(run('browser', { signedIn: true })).toBe(true);
  });

  it('on the server, redirects to the sign-in with the URL to come back to', () => {
    const result = run('server', { signedIn: false });
    expect(result instanceof UrlTree).toBe(true);
    expect(String(result)).toBe('/bff/login?returnTo=%2Fadmin%3Ftab%3D1');
  });

  it('in the browser, starts the sign-in', () => {
    expect(run('browser', { signedIn: false })).toBe(false);
    expect(logins).toEqual(['/admin?tab=1']);
  });

  it('after a failed sign-in, refuses without starting another one (no loop)', () => {
    expect(run('browser', { signedIn: false, failed: 'access_denied' })).toBe(false);
    expect(logins).toEqual([]);
  });
});
