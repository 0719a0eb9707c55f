import { Component, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { AuthService } from './auth/auth.service';

// app.config.ts is the one `ng add ngx-auth-renew` edited: provideAuth(authConfig) runs
// handleAuthentication() then scheduleRenewal() at start-up.
@Component({
  imports: [RouterOutlet],
  selector: 'app-root',
  templateUrl: './app.html',
})
export class App {
  private readonly auth = inject(AuthService);
  protected readonly isAuthenticated = this.auth.isAuthenticated;

  constructor() {
    (window as unknown as Record<string, unknown>)['auth'] = this.auth;
  }

  protected login() {
    void this.auth.login();
  }

  protected logout() {
    void this.auth.logout();
  }
}
