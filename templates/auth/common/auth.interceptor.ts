import {
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpInterceptorFn,
  HttpRequest,
} from '@angular/common/http';
import { inject } from '@angular/core';
import { Observable, catchError, from, switchMap, throwError } from 'rxjs';
import { AuthService } from './auth.service';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { isSecureRoute } from './secure-routes';

/**
 * Adds `Authorization: Bearer <access token>` to requests for `secureRoutes` (exact origin, whole
 * path segments). When the session is being renewed (the token expired, or the page woke from
 * sleep), such a request waits for the renewal: one renewal for any number of requests. With DPoP,
 * it sends `Authorization: DPoP <access token>` and a fresh proof instead.
 * Register it with `provideHttpClient(withInterceptors([authInterceptor]))`.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const config = inject(AUTH_CONFIG);
  if (auth.ready()) return withToken(req, next, auth, config);
  if (!isSecureRoute(req.url, config.secureRoutes, document.baseURI)) return next(req);
  // A request made during start-up (by an app initializer, say) waits for the stored session.
  return from(auth.whenReady()).pipe(switchMap(() => withToken(req, next, auth, config)));
};

function withToken(
  req: HttpRequest<unknown>,
  next: HttpHandlerFn,
  auth: AuthService,
  config: AuthConfig,
): Observable<HttpEvent<unknown>> {
  if (auth.expiresAt() === null) return next(req); // signed out (or on the server)
  if (!isSecureRoute(req.url, config.secureRoutes, document.baseURI)) return next(req);
  const token = auth.accessToken();
  if (token && !config.dpop) return next(withBearer(req, token));
  return from(token ? Promise.resolve(token) : auth.validAccessToken()).pipe(
    switchMap((valid) => {
      if (!valid) return next(req);
      return config.dpop ? sendWithDpop(req, next, valid, config) : next(withBearer(req, valid));
    }),
  );
}

function withBearer<T>(req: HttpRequest<T>, token: string): HttpRequest<T> {
  return req.clone({ setHeaders: { Authorization: `Bearer ${token}` } });
}

/**
 * Sends `req` with the DPoP-bound token and a proof; a resource server's `use_dpop_nonce`
 * challenge (RFC 9449 section 9) is answered once, with the nonce it sent.
 */
function sendWithDpop<T>(
  req: HttpRequest<T>,
  next: HttpHandlerFn,
  token: string,
  config: AuthConfig,
): Observable<HttpEvent<unknown>> {
  const send = (nonce?: string) =>
    from(dpopProof(config, req, token, nonce)).pipe(
      switchMap((proof) =>
        next(req.clone({ setHeaders: { Authorization: `DPoP ${token}`, DPoP: proof } })),
      ),
    );
  return send().pipe(
    catchError((error: unknown) => {
      const challenge = error instanceof HttpErrorResponse && error.status === 401;
      const nonce = challenge && error.headers.get('DPoP-Nonce');
      const wanted =
        challenge && /use_dpop_nonce/.test(error.headers.get('WWW-Authenticate') ?? '');
      return wanted && nonce ? send(nonce) : throwError(() => error);
    }),
  );
}

async function dpopProof<T>(
  config: AuthConfig,
  req: HttpRequest<T>,
  token: string,
  nonce?: string,
): Promise<string> {
  const dpop = await config.dpop!();
  const keys = await dpop.sessionKeys(config, false);
  if (!keys) throw new Error('DPoP: the key of this session is gone; sign in again');
  return dpop.proof(keys, req.method, req.url, token, nonce);
}
