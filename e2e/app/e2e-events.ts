// Records every AuthEvent from the start (an environment initializer runs before provideAuth's app
// initializer, so a sign-in callback handled at start-up is seen too): `window.authEvents`, and the
// driver's `window.e2eEvent` binding when exposed (events survive a navigation away).
import { EnvironmentProviders, inject, provideEnvironmentInitializer } from '@angular/core';
import { AuthService } from './auth/auth.service';

export interface E2eEvent {
  t: number;
  type: string;
  error?: string;
  expiresAt: number | null;
  token: string | null;
}

/** The list on window (made on first use), and a function that records one event into it. */
export function e2eEventLog(auth: AuthService): { events: E2eEvent[]; record(type: string, error?: string): E2eEvent } {
  const w = window as unknown as Record<string, unknown>;
  const events = (w['authEvents'] ??= []) as E2eEvent[];
  return {
    events,
    record(type: string, error?: string) {
      const entry: E2eEvent = { t: Date.now(), type, error, expiresAt: auth.expiresAt(), token: auth.accessToken() };
      events.push(entry);
      const report = w['e2eEvent'];
      if (typeof report === 'function') report({ t: entry.t, type, error: error ?? null, token: entry.token });
      return entry;
    },
  };
}

export function provideE2eEvents(): EnvironmentProviders {
  return provideEnvironmentInitializer(() => {
    const auth = inject(AuthService);
    const log = e2eEventLog(auth);
    auth.events.subscribe((e) => log.record(e.type, e.error));
  });
}
