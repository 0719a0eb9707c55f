import { HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { inject } from '@angular/core';
import { from, switchMap } from 'rxjs';
import { AuthService } from './auth.service';
import { AUTH_CONFIG } from './provide-auth';
import { isSecureRoute } from './secure-routes';

/**
 * Adds `Authorization: Bearer <access token>` to requests for `secureRoutes` (exact origin, whole
 * path segments). When the session is being renewed (the token expired, or the page woke from
 * sleep), such a request waits for the renewal: one renewal for any number of requests.
 * Register it with `provideHttpClient(withInterceptors([authInterceptor]))`.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  if (auth.expiresAt() === null) return next(req); // signed out (or on the server)
  if (!isSecureRoute(req.url, inject(AUTH_CONFIG).secureRoutes, document.baseURI)) return next(req);
  const token = auth.accessToken();
  if (token) return next(withToken(req, token));
  return from(auth.validAccessToken()).pipe(
    switchMap((renewed) => next(renewed ? withToken(req, renewed) : req)),
  );
};

function withToken<T>(req: HttpRequest<T>, token: string): HttpRequest<T> {
  return req.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
}
