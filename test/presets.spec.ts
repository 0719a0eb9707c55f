import { discoveryFindings } from '../src/next-steps/provider-check';
import { resolveOptions } from '../src/render/options';
import { presetOfAuthority } from '../src/render/presets';
import { loadFixture, runAuthRenew, runner } from './workspace-fixtures';

const AUTHORITIES = {
  auth0: 'https://acme.eu.auth0.com/',
  entra: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
  cognito: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf',
  keycloak: 'https://sso.acme.org/realms/staff',
  okta: 'https://acme.okta.com/oauth2/default',
  google: 'https://accounts.google.com',
} as const;

async function run(options: Record<string, unknown>): Promise<{ config: string; info: string[]; warn: string[]; record: Record<string, unknown> }> {
  const info: string[] = [];
  const warn: string[] = [];
  const subscription = runner.logger.subscribe((entry) => (entry.level === 'warn' ? warn : info).push(entry.message));
  try {
    const tree = await runAuthRenew(loadFixture('ng22'), options);
    return {
      config: tree.readText('/src/app/auth/auth.config.ts'),
      info,
      warn,
      record: JSON.parse(tree.readText('/src/app/auth/ngx-auth-renew.json')).options,
    };
  } finally {
    subscription.unsubscribe();
  }
}

describe('--provider presets', () => {
  it('are suggested from the authority only where its host clearly names the provider', () => {
    for (const [preset, authority] of Object.entries(AUTHORITIES)) {
      expect(presetOfAuthority(authority)).withContext(authority).toBe(preset as keyof typeof AUTHORITIES);
    }
    expect(presetOfAuthority('https://acme.us.auth0.com')).toBe('auth0');
    expect(presetOfAuthority('https://dev-123.oktapreview.com/oauth2/default')).toBe('okta');
    expect(presetOfAuthority('http://localhost:8080/realms/dev')).toBe('keycloak');
    for (const unclear of ['https://id.example.com', 'https://auth0.com.evil.test', 'https://login.acme.com',
      'https://notokta.com', 'https://id.acme.com/realms', 'https://google.com', 'https://amazonaws.com/x']) {
      expect(presetOfAuthority(unclear)).withContext(unclear).toBeUndefined();
    }
  });

  it('used when --provider is not given, one line says so and how to opt out; --provider generic opts out', async () => {
    const detected = await run({ authority: AUTHORITIES.entra });
    expect(detected.info).toContain('ngx-auth-renew: login.microsoftonline.com is Microsoft Entra ID: using --provider entra ' +
      '(pass --provider generic for no provider-specific settings, or another --provider).');
    expect(detected.config).toContain('sessionLifetimeSeconds: 24 * 60 * 60,');
    expect(detected.record['provider']).toBe('entra');
    const generic = await run({ authority: AUTHORITIES.entra, provider: 'generic' });
    expect(generic.info.some((line) => line.includes('--provider'))).toBe(false);
    expect(generic.config).not.toMatch(/session(Lifetime|Warning)Seconds/);
    expect(generic.record['provider']).toBe('generic');
    const unclear = await run({});
    expect(unclear.info.some((line) => line.includes('--provider'))).toBe(false);
    expect(unclear.record['provider']).toBe('generic');
  });

  it('an explicit --provider wins over the host, with no notice', async () => {
    const { config, info } = await run({ authority: 'https://login.acme.com/realms/x', provider: 'okta' });
    expect(config).toContain('// Preset: Okta (--provider okta).');
    expect(info.some((line) => line.includes('is Keycloak'))).toBe(false);
  });

  it('auth0: audience as an authorization parameter, offline_access, /v2/logout when discovery has no end_session_endpoint', async () => {
    const { config, warn } = await run({ authority: AUTHORITIES.auth0, audience: 'https://api.acme.test' });
    expect(config).toContain("scope: 'openid profile email offline_access',");
    expect(config).toContain("authorizationParams: { audience: 'https://api.acme.test' },");
    expect(config).toContain('`https://acme.eu.auth0.com/v2/logout?${new URLSearchParams({ client_id: clientId, returnTo: postLogoutRedirectUri })}`');
    expect(warn).toEqual([]);
    const without = await run({ authority: AUTHORITIES.auth0 });
    expect(without.config).toContain("// authorizationParams: { audience: 'https://api.example.com' },");
    expect(without.warn).toEqual([jasmine.stringMatching(/^ngx-auth-renew: --provider auth0: without --audience, Auth0 issues an opaque access token/)]);
  });

  it('cognito: no offline_access, the /logout page of the domain, a 30-day session limit', async () => {
    const { config } = await run({ authority: AUTHORITIES.cognito });
    expect(config).toContain("scope: 'openid profile email',");
    expect(config).toContain("`${new URL('/logout', authorizationEndpoint)}?${new URLSearchParams({ client_id: clientId, logout_uri: postLogoutRedirectUri })}`");
    expect(config).toContain('sessionLifetimeSeconds: 30 * 24 * 60 * 60,');
  });

  it('keycloak: no offline_access (refresh tokens come without it), a warning before the SSO session ends', async () => {
    const { config } = await run({ authority: AUTHORITIES.keycloak });
    expect(config).toContain("scope: 'openid profile email',");
    expect(config).toContain('sessionWarningSeconds: 5 * 60,');
    expect(config).not.toContain('logoutUrl');
  });

  it('okta: offline_access; the org authorization server is warned about', async () => {
    expect((await run({ authority: AUTHORITIES.okta })).warn).toEqual([]);
    const org = await run({ authority: 'https://acme.okta.com' });
    expect(org.config).toContain("scope: 'openid profile email offline_access',");
    expect(org.warn).toEqual([jasmine.stringMatching(/org authorization server: its access tokens are for Okta's own APIs only/)]);
  });

  it('refuses before writing, in one line with what to pick, what cannot work at the provider', () => {
    const refusals: [Record<string, string>, RegExp][] = [
      [{ authority: AUTHORITIES.google }, /^--provider google: .*client secret.*no refresh token: use --flow implicit --renewal iframe/],
      [{ authority: AUTHORITIES.google, renewal: 'iframe' }, /^--provider google: /],
      [{ authority: 'https://login.microsoftonline.com/common/v2.0' }, /^--provider entra: .*names no tenant.*use https:\/\/login\.microsoftonline\.com\/<your tenant id>\/v2\.0\.$/],
      [{ authority: 'https://acme.auth.eu-west-1.amazoncognito.com' }, /^--provider cognito: .* is the user pool's domain, not its issuer: use --authority https:\/\/cognito-idp/],
      [{ authority: AUTHORITIES.cognito, renewal: 'iframe' }, /^--provider cognito: Cognito does not answer prompt=none.*use --renewal refresh-token\.$/],
    ];
    for (const [options, message] of refusals) {
      expect(() => resolveOptions({ clientId: 'spa', ...options } as never)).withContext(JSON.stringify(options)).toThrowError(message);
    }
  });

  it('the refusal stops the run before anything is written', async () => {
    const tree = loadFixture('ng22');
    const before = tree.files.length;
    await expectAsync(runAuthRenew(tree, { authority: AUTHORITIES.google })).toBeRejectedWithError(/^--provider google/);
    expect(tree.files.length).toBe(before);
    expect(tree.exists('/src/app/auth/auth.config.ts')).toBe(false);
  });

  it('google works as implicit + iframe, warned about third-party cookies; no sign-out endpoint said in the config', async () => {
    const { config, warn } = await run({ authority: AUTHORITIES.google, flow: 'implicit', renewal: 'iframe' });
    expect(config).toContain("scope: 'openid profile email',");
    expect(config).toContain('// Google has no end-session endpoint');
    expect(warn).toEqual([jasmine.stringMatching(/^ngx-auth-renew: --provider google: iframe renewal needs Google's session cookie in a third-party frame/)]);
  });

  it('iframe renewal with a preset is warned about third-party cookies', async () => {
    const { warn } = await run({ authority: AUTHORITIES.keycloak, renewal: 'iframe' });
    expect(warn).toEqual([jasmine.stringMatching(/third-party frame: browsers that block third-party cookies .* prefer --renewal refresh-token\.$/)]);
  });

  it('--audience works with any provider; the generic config is unchanged without it', async () => {
    const generic = await run({});
    expect(generic.config).not.toMatch(/authorizationParams|logoutUrl|session(Lifetime|Warning)Seconds|Preset/);
    expect((await run({ audience: 'urn:api' })).config).toContain("authorizationParams: { audience: 'urn:api' },");
    expect(() => resolveOptions({ authority: 'https://id.example.com', clientId: 'spa', audience: "a'b" }))
      .toThrowError(/^--audience must not contain quotes/);
  });

  it('the provider check expects what the preset knows: no revocation (Entra, Google, Cognito), no end-session (Auth0, Cognito, Google)', () => {
    const issuer = 'https://idp.example.org';
    const bare = { issuer, code_challenge_methods_supported: ['S256'] };
    const generic = discoveryFindings(bare, issuer, 'code', 'refresh-token');
    expect(generic.length).toBe(2);
    expect(discoveryFindings(bare, issuer, 'code', 'refresh-token', 'cognito')).toEqual([]);
    expect(discoveryFindings(bare, issuer, 'code', 'refresh-token', 'entra')).toEqual([generic[1]]);
    expect(discoveryFindings(bare, issuer, 'code', 'refresh-token', 'auth0')).toEqual([generic[0]]);
  });
});
