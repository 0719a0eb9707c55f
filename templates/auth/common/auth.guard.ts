import { PLATFORM_ID, inject } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { CanActivateFn } from '@angular/router';
import { AuthService } from './auth.service';

/**
 * Lets signed-in users through; in the browser, sends everyone else to the provider's login.
 * The server cannot see the session (it lives in the browser) and refuses: with SSR, give guarded
 * routes `renderMode: RenderMode.Client` in app.routes.server.ts.
 */
export const authGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  if (auth.isAuthenticated()) return true;
  if (isPlatformBrowser(inject(PLATFORM_ID))) {
    auth.login(state.url).catch((error: unknown) => console.error('Login could not start:', error));
  }
  return false;
};
