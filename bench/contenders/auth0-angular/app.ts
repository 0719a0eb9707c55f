import { Component, inject } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { RouterOutlet } from '@angular/router';
import { AuthService } from '@auth0/auth0-angular';

// @auth0/auth0-angular handles the callback and checks the session (getTokenSilently) at start-up itself.
@Component({
  imports: [RouterOutlet],
  selector: 'app-root',
  templateUrl: './app.html',
})
export class App {
  private readonly auth = inject(AuthService);
  protected readonly isAuthenticated = toSignal(this.auth.isAuthenticated$, { initialValue: false });

  constructor() {
    (window as unknown as Record<string, unknown>)['auth'] = this.auth;
  }

  protected login() {
    this.auth.loginWithRedirect().subscribe();
  }

  protected logout() {
    this.auth.logout({ logoutParams: { returnTo: window.location.origin + '/' } }).subscribe();
  }
}
