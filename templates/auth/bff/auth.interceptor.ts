import { HttpErrorResponse, HttpInterceptorFn } from '@angular/common/http';
import { DOCUMENT } from '@angular/common';
import { inject } from '@angular/core';
import { tap } from 'rxjs';
import { AUTH_CONFIG, CSRF_HEADER } from './auth-config';
import { AuthService } from './auth.service';

/** Whether `url` is a call to this app's own BFF (same origin, under bffPath on a path-segment boundary). */
export function isBffCall(url: string, bffPath: string, baseUri: string): boolean {
  const base = new URL(baseUri);
  const target = new URL(url, base);
  const path = bffPath.replace(/\/$/, '');
  return (
    target.origin === base.origin &&
    (target.pathname === path || target.pathname.startsWith(`${path}/`))
  );
}

/**
 * Adds the CSRF header the server requires to same-origin calls to the BFF (`/bff/api/...`), and
 * reports a 401 from it: the session is over. Calls elsewhere pass untouched: no token is ever
 * in the browser to attach.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const config = inject(AUTH_CONFIG);
  if (!isBffCall(req.url, config.bffPath, inject(DOCUMENT).baseURI || 'http://localhost/'))
    return next(req);
  const auth = inject(AuthService);
  return next(req.clone({ setHeaders: { [CSRF_HEADER]: '1' } })).pipe(
    tap({
      error: (error: unknown) => {
        if (error instanceof HttpErrorResponse && error.status === 401)
          auth.sessionEnded(`401 from ${req.url}`);
      },
    }),
  );
};
