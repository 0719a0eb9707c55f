import {
  EnvironmentProviders,
  PLATFORM_ID,
  inject,
  makeEnvironmentProviders,
  provideAppInitializer,
} from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { AUTH_CONFIG, type AuthConfig } from './auth-config';
import { AuthService } from './auth.service';

// Re-exported: code that imports them from here keeps compiling.
export type { AuthConfig, DpopSupport } from './auth-config';
export { AUTH_CONFIG } from './auth-config';

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
      // A failed callback is a `sign-in-failed` event; nothing here may break bootstrap.
      await auth.whenReady();
      auth.scheduleRenewal();
    }),
  ]);
}
