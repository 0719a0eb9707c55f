import { Injectable, signal } from '@angular/core';
import { User, UserManager, WebStorageStateStore } from 'oidc-client-ts';

// oidc-client-ts has no Angular binding: the few lines every app writes around its UserManager.
@Injectable({ providedIn: 'root' })
export class Auth {
  readonly manager = new UserManager({
    authority: 'http://localhost:9200',
    client_id: 'spa-code',
    redirect_uri: window.location.origin + '/',
    post_logout_redirect_uri: window.location.origin + '/',
    response_type: 'code',
    scope: 'openid profile email offline_access',
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: 30,
    userStore: new WebStorageStateStore({ store: window.sessionStorage }),
  });
  readonly user = signal<User | null>(null);

  constructor() {
    this.manager.events.addUserLoaded((u) => this.user.set(u));
    this.manager.events.addUserUnloaded(() => this.user.set(null));
  }

  /** At start-up: complete a sign-in callback, or restore the stored session. */
  async start(): Promise<void> {
    const params = new URLSearchParams(window.location.search);
    if (params.has('code') && params.has('state')) {
      this.user.set(await this.manager.signinRedirectCallback());
      history.replaceState(history.state, '', window.location.pathname);
    } else {
      this.user.set(await this.manager.getUser());
    }
  }
}
