import { Component, computed, inject } from '@angular/core';
import { RouterOutlet } from '@angular/router';
import { OidcSecurityService } from 'angular-auth-oidc-client';

@Component({
  imports: [RouterOutlet],
  selector: 'app-root',
  templateUrl: './app.html',
})
export class App {
  private readonly oidc = inject(OidcSecurityService);
  protected readonly isAuthenticated = computed(() => this.oidc.authenticated().isAuthenticated);

  constructor() {
    (window as unknown as Record<string, unknown>)['auth'] = this.oidc;
  }

  protected login() {
    this.oidc.authorize();
  }

  protected logout() {
    this.oidc.logoffAndRevokeTokens().subscribe();
  }
}
