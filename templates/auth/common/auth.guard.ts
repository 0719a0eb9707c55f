import { PLATFORM_ID, inject } from '@angular/core';
import { Location, isPlatformBrowser } from '@angular/common';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/**
 * Lets signed-in users through (waiting for start-up and for a renewal in progress); in the
 * browser, sends everyone else to the provider's login, except after a sign-in that failed in this
 * page load (see `lastSignInError`): a failing sign-in must not turn into a redirect loop.
 * The server cannot see the session (it lives in the browser) and refuses: with SSR, give guarded
 * routes `renderMode: RenderMode.Client` in app.routes.server.ts.
 */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const browser = isPlatformBrowser(inject(PLATFORM_ID));
  if (!browser) return auth.isAuthenticated();
  const location = inject(Location);
  const router = inject(Router);
  const returnUrl = addressBarUrl(location, state.url);
  // A blocking initial navigation runs this before provideAuth's initializer has finished: on the
  // sign-in callback it then navigates to the callback URL, which start-up has meanwhile replaced
  // by the URL the user came from. Go there rather than put the spent code back in the address bar.
  await auth.whenReady();
  const now = location.path(true);
  if (now !== state.url && /[?&]state=/.test(state.url)) return router.parseUrl(now);
  if (auth.isAuthenticated() || (await auth.validAccessToken())) return true;
  if (!auth.lastSignInError()) {
    auth.login(returnUrl).catch((error: unknown) => console.error('Login could not start:', error));
  }
  return false;
};

/**
 * The router URL as the address bar shows it, relative to the base href: `/admin` with path
 * routing, `/#/admin` with hash routing (what login() restores after the sign-in).
 */
function addressBarUrl(location: Location, routerUrl: string): string {
  const base = new URL('.', document.baseURI).href;
  const href = new URL(location.prepareExternalUrl(routerUrl), base).href;
  return href.startsWith(base) ? `/${href.slice(base.length)}` : routerUrl;
}
