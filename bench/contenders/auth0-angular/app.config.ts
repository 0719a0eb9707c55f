import { ApplicationConfig, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter } from '@angular/router';
import { provideAuth0 } from '@auth0/auth0-angular';
import { routes } from './app.routes';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideAuth0({
      domain: 'localhost:9200',
      clientId: 'spa-code',
      useRefreshTokens: true,
      authorizationParams: {
        redirect_uri: window.location.origin + '/',
        scope: 'openid profile email offline_access',
      },
    }),
  ]
};
