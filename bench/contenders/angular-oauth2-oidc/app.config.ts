import { ApplicationConfig, inject, provideAppInitializer, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideHttpClient } from '@angular/common/http';
import { provideRouter } from '@angular/router';
import { OAuthService, provideOAuthClient } from 'angular-oauth2-oidc';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideHttpClient(),
    provideOAuthClient(),
    provideAppInitializer(() => {
      const oauth = inject(OAuthService);
      oauth.configure({
        issuer: 'http://localhost:9200',
        redirectUri: window.location.origin + '/',
        postLogoutRedirectUri: window.location.origin + '/',
        clientId: 'spa-code',
        responseType: 'code',
        scope: 'openid profile email offline_access',
        requireHttps: false,
        timeoutFactor: 0.75,
      });
      oauth.setupAutomaticSilentRefresh();
      return oauth.loadDiscoveryDocumentAndTryLogin().then(() => undefined);
    }),
  ]
};
