import {
  EnvironmentProviders,
  inject,
  makeEnvironmentProviders,
  provideAppInitializer,
} from '@angular/core';
import { AUTH_CONFIG, AuthConfig } from './auth-config';
import { AuthService } from './auth.service';

export type { AuthConfig } from './auth-config';

/**
 * Provides the auth configuration and, at start-up, learns who is signed in: on the server from
 * the request (then handed to the browser through TransferState), in the browser from that state,
 * or else from GET /bff/user.
 */
export function provideAuth(config: AuthConfig): EnvironmentProviders {
  return makeEnvironmentProviders([
    { provide: AUTH_CONFIG, useValue: config },
    provideAppInitializer(() => inject(AuthService).start()),
  ]);
}
