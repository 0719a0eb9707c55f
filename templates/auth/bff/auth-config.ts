import { InjectionToken } from '@angular/core';

export interface AuthConfig {
  /** Where the app's server serves the BFF endpoints (login, logout, user, api): `/bff`. */
  bffPath: string;
  /** Deadline of each call to the BFF, in seconds. Defaults to 10. */
  requestTimeoutSeconds?: number;
}

export const AUTH_CONFIG = new InjectionToken<AuthConfig>('AUTH_CONFIG');

/** The header every same-origin call to the BFF carries (its CSRF defence; see server/bff/csrf.ts). */
export const CSRF_HEADER = 'x-bff-csrf';
/** The request header through which the server tells server rendering who is signed in (server/bff/page-user.ts). */
export const USER_HEADER = 'x-bff-user';
