import { Component, inject, signal } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { OAuthService } from 'angular-oauth2-oidc';

@Component({
  imports: [RouterOutlet],
  selector: 'app-root',
  templateUrl: './app.html',
})
export class App {
  private readonly oauth = inject(OAuthService);
  protected readonly isAuthenticated = signal(this.oauth.hasValidAccessToken());

  constructor() {
    (window as unknown as Record<string, unknown>)['auth'] = this.oauth;
    this.oauth.events.subscribe(() => this.isAuthenticated.set(this.oauth.hasValidAccessToken()));
  }

  protected login() {
    this.oauth.initCodeFlow();
  }

  protected logout() {
    void this.oauth.revokeTokenAndLogout();
  }
}
