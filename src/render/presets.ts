import { SchematicsException } from '@angular-devkit/schematics';

/** The provider presets of `--provider`; `generic` writes no provider-specific setting. */
export const PROVIDERS = ['auth0', 'entra', 'cognito', 'keycloak', 'okta', 'google', 'generic'] as const;
export type ProviderPreset = (typeof PROVIDERS)[number];

/** How each preset is named in messages. */
export const PROVIDER_NAMES: Record<ProviderPreset, string> = {
  auth0: 'Auth0',
  entra: 'Microsoft Entra ID',
  cognito: 'Amazon Cognito',
  keycloak: 'Keycloak',
  okta: 'Okta',
  google: 'Google',
  generic: 'a generic OpenID provider',
};

/** The preset the authority's host (or, for Keycloak, its path) clearly names; undefined when unclear. */
export function presetOfAuthority(authority: string): Exclude<ProviderPreset, 'generic'> | undefined {
  let url: URL;
  try {
    url = new URL(authority);
  } catch {
    return undefined;
  }
  const host = url.hostname.toLowerCase();
  const under = (domain: string) => host === domain || host.endsWith(`.${domain}`);
  if (under('auth0.com')) return 'auth0';
  if (host === 'login.microsoftonline.com') return 'entra';
  if (under('amazoncognito.com') || /^cognito-idp\.[a-z0-9-]+\.amazonaws\.com$/.test(host)) return 'cognito';
  if (/(^|\/)realms\/[^/]+/.test(url.pathname)) return 'keycloak';
  if (under('okta.com') || under('oktapreview.com')) return 'okta';
  if (host === 'accounts.google.com') return 'google';
  return undefined;
}

/** What the preset needs to know: the options it is checked against. */
export interface PresetInput {
  authority: string;
  flow: 'code' | 'implicit';
  renewal: 'refresh-token' | 'iframe';
}

/** The default scope of a preset when --scope is not given. */
export function presetScope(provider: ProviderPreset, renewal: PresetInput['renewal']): string {
  // Cognito does not know offline_access (and issues refresh tokens without it); Keycloak issues
  // refresh tokens without it, and with it makes an offline session that outlives the sign-out;
  // Google issues no refresh token to a browser app.
  const offline = renewal === 'refresh-token' && !['cognito', 'keycloak', 'google'].includes(provider);
  return offline ? 'openid profile email offline_access' : 'openid profile email';
}

const fail = (message: string): never => {
  throw new SchematicsException(message);
};

/**
 * Refuses, with one line that says what to pick instead, the combinations that cannot work at the
 * provider at all. Called before anything is written.
 */
export function checkPreset(provider: ProviderPreset, o: PresetInput): void {
  const url = new URL(o.authority);
  if (provider === 'google') {
    if (o.flow === 'code') {
      fail('--provider google: Google\'s token endpoint wants a client secret from web apps, which a browser app cannot keep, ' +
        'and gives browser apps no refresh token: use --flow implicit --renewal iframe, or sign in through your server.');
    }
  }
  if (provider === 'entra' && /^\/(common|organizations|consumers)(\/|$)/i.test(url.pathname)) {
    fail(`--provider entra: the issuer of ${o.authority} names no tenant, so the id_token's issuer can never match it: ` +
      'use https://login.microsoftonline.com/<your tenant id>/v2.0.');
  }
  if (provider === 'cognito') {
    if (/(^|\.)amazoncognito\.com$/i.test(url.hostname)) {
      fail(`--provider cognito: ${url.hostname} is the user pool's domain, not its issuer: ` +
        'use --authority https://cognito-idp.<region>.amazonaws.com/<user pool id> (the sign-in pages stay on the domain).');
    }
    if (o.renewal === 'iframe') {
      fail('--provider cognito: Cognito does not answer prompt=none, so iframe renewal cannot work: use --renewal refresh-token.');
    }
  }
}

/** Warnings for combinations that may not work (third-party cookies, an authorization server for Okta's own APIs). */
export function presetWarnings(provider: ProviderPreset, o: PresetInput & { audience: string }): string[] {
  const warnings: string[] = [];
  if (o.renewal === 'iframe' && provider !== 'generic') {
    warnings.push(`iframe renewal needs ${PROVIDER_NAMES[provider]}'s session cookie in a third-party frame: browsers that block ` +
      'third-party cookies (Safari, Firefox strict mode, Chrome with the setting on) end the session at the first renewal' +
      (provider === 'google' ? '; for sessions longer than an access token, sign in through your server.' : '; prefer --renewal refresh-token.'));
  }
  if (provider === 'okta' && !/^\/oauth2\/[^/]+/.test(new URL(o.authority).pathname)) {
    warnings.push('this is Okta\'s org authorization server: its access tokens are for Okta\'s own APIs only; ' +
      'for your API use a custom authorization server, e.g. --authority https://<org>.okta.com/oauth2/default.');
  }
  if (provider === 'auth0' && !o.audience) {
    warnings.push('without --audience, Auth0 issues an opaque access token (for /userinfo only): ' +
      'give your API\'s identifier with --audience, or set authorizationParams.audience in auth.config.ts.');
  }
  return warnings;
}

/** The line that says which preset the authority named, and how to choose another. */
export function presetNotice(provider: ProviderPreset, authority: string): string {
  return `ngx-auth-renew: ${new URL(authority).host} is ${PROVIDER_NAMES[provider]}: using --provider ${provider} ` +
    '(pass --provider generic for no provider-specific settings, or another --provider).';
}
