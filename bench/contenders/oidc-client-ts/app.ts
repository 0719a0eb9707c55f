import { Component, computed, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { Auth } from './auth';

@Component({
  imports: [RouterOutlet],
  selector: 'app-root',
  templateUrl: './app.html',
})
export class App {
  private readonly auth = inject(Auth);
  protected readonly isAuthenticated = computed(() => Boolean(this.auth.user() && !this.auth.user()!.expired));

  constructor() {
    (window as unknown as Record<string, unknown>)['auth'] = this.auth;
  }

  protected login() {
    void this.auth.manager.signinRedirect();
  }

  protected logout() {
    void this.auth.manager.signoutRedirect();
  }
}
