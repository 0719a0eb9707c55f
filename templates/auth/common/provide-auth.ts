import {
  EnvironmentProviders,
  InjectionToken,
  PLATFORM_ID,
  inject,
  makeEnvironmentProviders,
  provideAppInitializer,
} from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { AuthService } from './auth.service';

export interface AuthConfig {
  /** Issuer URL of the OpenID provider (https, or http for localhost only). */
  authority: string;
  clientId: string;
  scope: string;
  /** Renew this many seconds before the access token expires. */
  renewBeforeSeconds: number;
  /** Where the session is kept: sessionStorage, localStorage, or memory only. */
  storage: 'session' | 'local' | 'memory';
  /** URL prefixes whose requests get `Authorization: Bearer <access token>`. */
  secureRoutes: string[];
  /** Defaults to `<origin>/`. */
  redirectUri?: string;
  /** Defaults to `<origin>/`. */
  postLogoutRedirectUri?: string;
  /** Defaults to `<origin>/silent-renew.html` (iframe renewal only). */
  silentRenewUri?: string;
  /** Defaults to 10 (iframe renewal only). */
  silentRenewTimeoutSeconds?: number;
}

export const AUTH_CONFIG = new InjectionToken<AuthConfig>('AUTH_CONFIG');

/**
 * Provides the auth configuration and, in the browser, completes a sign-in callback or restores
 * the stored session at start-up, then arms token renewal.
 */
export function provideAuth(config: AuthConfig): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: AUTH_CONFIG, useValue: config },
    provideAppInitializer(async () => {
      if (!isPlatformBrowser(inject(PLATFORM_ID))) return;
      const auth = inject(AuthService);
      try {
        await auth.handleAuthentication();
      } catch (error) {
        // A failed sign-in must not break bootstrap: the app starts signed out.
        console.error('Sign-in could not be completed:', error);
      }
      auth.scheduleRenewal();
    }),
  ]);
}
