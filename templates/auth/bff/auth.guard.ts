import { PLATFORM_ID, inject } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { CanActivateFn, Router } from '@angular/router';
import { AUTH_CONFIG } from './auth-config';
import { AuthService } from './auth.service';

/**
 * Lets signed-in users through. Everyone else goes to sign-in and comes back to this URL: on the
 * server, as a redirect of the rendered response; in the browser, by navigating there — except
 * after a sign-in that failed in this page load (`lastSignInError`): no redirect loop.
 */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  if (auth.isAuthenticated()) return true;
  if (!isPlatformBrowser(inject(PLATFORM_ID))) {
    return inject(Router).parseUrl(
      `${inject(AUTH_CONFIG).bffPath}/login?returnTo=${encodeURIComponent(state.url)}`,
    );
  }
  if (!auth.lastSignInError()) void auth.login(state.url);
  return false;
};
