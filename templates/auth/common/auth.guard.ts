import { PLATFORM_ID, inject } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { CanActivateFn } from '@angular/router';
import { AuthService } from './auth.service';

/**
 * Lets signed-in users through (waiting for a renewal in progress); in the browser, sends everyone
 * else to the provider's login, except after a sign-in that failed in this page load (see
 * `lastSignInError`): a failing sign-in must not turn into a redirect loop.
 * The server cannot see the session (it lives in the browser) and refuses: with SSR, give guarded
 * routes `renderMode: RenderMode.Client` in app.routes.server.ts.
 */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const browser = isPlatformBrowser(inject(PLATFORM_ID));
  if (auth.isAuthenticated() || (browser && (await auth.validAccessToken()))) return true;
  if (browser && !auth.lastSignInError()) {
    auth.login(state.url).catch((error: unknown) => console.error('Login could not start:', error));
  }
  return false;
};
