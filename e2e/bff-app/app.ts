// The e2e page of the --bff scenario (e2e/scenarios/bff.ts): it replaces the CLI's placeholder App
// of an SSR workspace and only *uses* the generated files. The user's name is in the rendered HTML
// (#user); in the browser it exposes `window.auth` (the AuthService), `window.authEvents` and
// `window.api(path)` / `window.apiMany(path, n)`: calls through the app's HttpClient and so the
// generated interceptor (the CSRF header), answering `{ status, body }`.
import { Component, PLATFORM_ID, afterNextRender, inject } from '@angular/core';
import { isPlatformBrowser } from '@angular/common';
import { HttpClient, HttpErrorResponse } from '@angular/common/http';
import { firstValueFrom } from 'rxjs';
import { AuthEvent, AuthService } from './auth/auth.service';

interface Answer {
  status: number;
  body: unknown;
}

@Component({
  selector: 'app-root',
  templateUrl: './app.html',
})
export class App {
  protected readonly auth = inject(AuthService);
  private readonly http = inject(HttpClient);

  constructor() {
    const events: (AuthEvent & { t: number })[] = [];
    if (isPlatformBrowser(inject(PLATFORM_ID))) this.auth.events.subscribe((e) => events.push({ ...e, t: Date.now() }));
    afterNextRender(() => {
      const w = window as unknown as Record<string, unknown>;
      w['auth'] = this.auth;
      w['authEvents'] = events;
      w['api'] = (path: string) => this.call(path);
      w['apiMany'] = (path: string, n: number) => Promise.all(Array.from({ length: n }, () => this.call(path)));
      w['appReady'] = true;
    });
  }

  private async call(path: string): Promise<Answer> {
    try {
      return { status: 200, body: await firstValueFrom(this.http.get(path)) };
    } catch (error) {
      const e = error as HttpErrorResponse;
      return { status: e.status, body: e.error };
    }
  }
}
