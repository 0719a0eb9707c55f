// The e2e / demo page. It replaces the CLI's placeholder `App` (src/app/app.ts) of a workspace made
// by e2e/make-app.ts; it only *uses* the generated auth files (src/app/auth/**), never edits them.
// For the e2e driver it exposes `window.auth` (the AuthService), `window.authConfig`,
// `window.authEvents` (every AuthEvent with its time, plus the token it left behind; recorded from
// start-up by e2e-events.ts, which make-app.ts wires into app.config.ts), and `window.api(url)`, a
// GET through the app's HttpClient (and so its interceptors).
import { Component, DestroyRef, computed, inject, signal } from '@angular/core';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import { AuthService } from './auth/auth.service';
import { authConfig } from './auth/auth.config';
import { E2eEvent, e2eEventLog } from './e2e-events';

type LogEntry = E2eEvent;

function claimsOf(idToken: string | null): Record<string, unknown> | null {
  if (!idToken) return null;
  try {
    const part = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const json = decodeURIComponent(
      Array.from(atob(part), (c) => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join(''),
    );
    return JSON.parse(json);
  } catch {
    return null;
  }
}

@Component({
  selector: 'app-root',
  templateUrl: './app.html',
  styleUrl: './app.css',
})
export class App {
  protected readonly auth = inject(AuthService);
  protected readonly config = authConfig as unknown as Record<string, unknown>;
  protected readonly renewBefore = Number((authConfig as { renewBeforeSeconds?: number }).renewBeforeSeconds ?? 30);
  protected readonly now = signal(Date.now());
  protected readonly log = signal<LogEntry[]>([]);
  protected readonly busy = signal(false);

  protected readonly user = computed(() => {
    const c = claimsOf(this.auth.idToken());
    return c ? String(c['name'] ?? c['email'] ?? c['sub'] ?? '?') : null;
  });
  /** ms until the scheduled renewal (expiresAt - renewBefore - now). */
  protected readonly nextRenewal = computed(() => {
    const exp = this.auth.expiresAt();
    return exp == null ? null : exp - this.renewBefore * 1000 - this.now();
  });
  protected readonly expiresIn = computed(() => {
    const exp = this.auth.expiresAt();
    return exp == null ? null : exp - this.now();
  });
  protected readonly renewals = computed(() => this.log().filter((e) => e.type === 'renewed').length);

  constructor() {
    const w = window as unknown as Record<string, unknown>;
    const record = e2eEventLog(this.auth);
    w['auth'] = this.auth;
    w['authConfig'] = authConfig;
    const http = inject(HttpClient, { optional: true });
    w['api'] = async (url: string) => {
      if (!http) return { status: -1, body: null, error: 'no HttpClient provided' };
      try {
        const res = await firstValueFrom(http.get(url, { observe: 'response' }));
        return { status: res.status, body: res.body, error: null };
      } catch (e) {
        return e instanceof HttpErrorResponse
          ? { status: e.status, body: e.error, error: e.message }
          : { status: -1, body: null, error: String(e) };
      }
    };

    // The events recorded since start-up (e2e-events.ts), newest first, and the ones to come.
    const show = () => this.log.set([...record.events].reverse().slice(0, 50));
    if (this.auth.isAuthenticated()) record.record('session');
    show();
    const sub = this.auth.events.subscribe(() => show());

    const timer = setInterval(() => this.now.set(Date.now()), 200);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      sub.unsubscribe();
    });
  }

  protected async run(action: 'login' | 'renewToken' | 'logout') {
    this.busy.set(true);
    try {
      await this.auth[action]();
    } finally {
      this.busy.set(false);
    }
  }

  protected seconds(ms: number | null): string {
    return ms == null ? '—' : (ms / 1000).toFixed(1) + ' s';
  }

  protected time(t: number | null): string {
    return t == null ? '—' : new Date(t).toISOString().slice(11, 23);
  }

  protected short(token: string | null): string {
    return token ? '…' + token.slice(-8) : '—';
  }
}
