import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { AuthService } from './auth.service';
import { AUTH_CONFIG } from './provide-auth';

/**
 * Adds `Authorization: Bearer <access token>` to requests whose URL starts with one of
 * `secureRoutes`. Register it with `provideHttpClient(withInterceptors([authInterceptor]))`.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const token = auth.accessToken();
  // Also checked here: the expiry timer of a throttled background tab may fire late.
  const valid = token !== null && (auth.expiresAt() ?? 0) > Date.now();
  const secure = inject(AUTH_CONFIG).secureRoutes.some((prefix) => req.url.startsWith(prefix));
  return next(
    valid && secure ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req,
  );
};
