import { TestBed } from '@angular/core/testing';
import {
  GlobalFakes,
  discoveryDocument,
  jsonResponse,
  sessionStoreFor,
  testAuthConfig,
  testOidcContext,
} from './auth.testing';
import {
  OidcError,
  assertSameUser,
  buildAuthorizationUrl,
  discover,
  endSessionUrl,
  expiresAtFrom,
  providerClockOffset,
  revokeTokens,
  toOidcError,
  toTokenSet,
} from './oidc';

/** An unsigned JWT with `claims` (only read, never verified, by the functions tested here). */
const jwt = (claims: object) =>
  `e30.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.sig`;

const config = testAuthConfig({
  authority: 'https://oidc-spec.example.com',
  storage: 'memory',
});

describe('oidc', () => {
  const fakes = new GlobalFakes();
  let requests: string[];

  beforeEach(() => {
    requests = [];
    fakes.fetch((url) => {
      requests.push(url);
      const issuer = url.replace('/.well-known/openid-configuration', '');
      if (issuer.includes('down')) throw new TypeError('Failed to fetch');
      return jsonResponse(discoveryDocument(issuer));
    });
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
  });

  it('discovers the provider once per authority', async () => {
    // An authority no other test discovers: the cache lives as long as the page, and Karma runs
    // the tests of every spec file in one page, in random order.
    const once = { ...config, authority: 'https://oidc-once.example.com' };
    const first = await discover(once);
    const second = await discover(once);
    expect(first.as.token_endpoint).toBe('https://oidc-once.example.com/token');
    expect(second.as).toBe(first.as);
    expect(requests).toEqual(['https://oidc-once.example.com/.well-known/openid-configuration']);
    expect(first.client.client_id).toBe('spa');
    expect(first.config.redirectUri).toBe(`${location.origin}/`);
    expect(first.config.silentRenewUri).toBe(`${location.origin}/silent-renew.html`);
  });

  it('builds the authorization request with a fresh state and nonce kept for the response', async () => {
    const ctx = await discover(config);
    const store = sessionStoreFor(config);
    const request = { redirectUri: 'https://app.example.com/', params: { response_type: 'code' } };
    const url = buildAuthorizationUrl(ctx, store, {
      ...request,
      codeVerifier: 'v',
      prompt: 'none',
    });
    const again = buildAuthorizationUrl(ctx, store, request);
    const params = url.searchParams;
    expect(url.origin + url.pathname).toBe('https://oidc-spec.example.com/authorize');
    expect(params.get('client_id')).toBe('spa');
    expect(params.get('redirect_uri')).toBe('https://app.example.com/');
    expect(params.get('response_type')).toBe('code');
    expect(params.get('scope')).toBe(config.scope);
    expect(params.get('prompt')).toBe('none');
    expect(again.searchParams.has('prompt')).toBe(false);
    expect(params.get('state')).not.toBe(again.searchParams.get('state'));
    const pending = store.takePending(params.get('state')!);
    expect(pending?.nonce).toBe(params.get('nonce')!);
    expect(pending?.codeVerifier).toBe('v');
    expect(store.takePending(params.get('state')!)).toBeNull();
  });

  it('allows plain http for localhost only', async () => {
    const local = await discover({ ...config, authority: 'http://localhost:8080' });
    expect(local.as.issuer).toBe('http://localhost:8080');
    const remote = await discover({ ...config, authority: 'http://insecure.example.com' }).catch(
      (e: unknown) => e,
    );
    expect(remote instanceof OidcError).toBe(true);
  });

  it('reports a network failure and retries discovery next time', async () => {
    const down = { ...config, authority: 'https://down.example.com' };
    const error = await discover(down).catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('network');
    await discover(down).catch(() => undefined);
    expect(requests.length).toBe(2);
  });

  it('keeps the previous refresh token only when none is returned', () => {
    const previous = { accessToken: 'a1', idToken: 'i1', refreshToken: 'r1', expiresAt: 0 };
    const rotated = toTokenSet(
      { access_token: 'a2', token_type: 'bearer', refresh_token: 'r2', expires_in: 60 },
      previous,
    );
    expect(rotated.refreshToken).toBe('r2');
    expect(rotated.idToken).toBe('i1');
    expect(rotated.expiresAt).toBeGreaterThan(Date.now() + 59_000);
    expect(rotated.expiresAt).toBeLessThan(Date.now() + 61_000);
    const kept = toTokenSet({ access_token: 'a3', token_type: 'bearer' }, previous);
    expect(kept.refreshToken).toBe('r1');
  });

  it('maps thrown errors to OidcError codes', () => {
    expect(toOidcError(new TypeError('Failed to fetch')).code).toBe('network');
    const own = new OidcError('timeout');
    expect(toOidcError(own)).toBe(own);
    expect(toOidcError('boom').code).toBe('unknown');
  });

  it('default URIs follow the base href of an app served under a sub-path', async () => {
    const base = document.createElement('base');
    base.href = '/portal/';
    document.head.prepend(base);
    try {
      const ctx = await discover({ ...config, authority: 'https://oidc-base.example.com' });
      expect(ctx.config.redirectUri).toBe(`${location.origin}/portal/`);
      expect(ctx.config.postLogoutRedirectUri).toBe(`${location.origin}/portal/`);
      expect(ctx.config.silentRenewUri).toBe(`${location.origin}/portal/silent-renew.html`);
      expect(ctx.config.requestTimeoutSeconds).toBe(10);
    } finally {
      base.remove();
    }
  });

  it('keeps a trailing slash of the authority and asks for discovery below it once', async () => {
    fakes.fetch((url) => {
      requests.push(url);
      return jsonResponse(discoveryDocument('https://oidc-slash.example.com/realm/'));
    });
    const ctx = await discover({ ...config, authority: 'https://oidc-slash.example.com/realm/' });
    expect(requests).toEqual([
      'https://oidc-slash.example.com/realm/.well-known/openid-configuration',
    ]);
    expect(ctx.as.issuer).toBe('https://oidc-slash.example.com/realm/');
  });

  it('treats a missing, zero or invalid expires_in as the documented 300 s', () => {
    for (const expiresIn of [undefined, 0, -5, Number.NaN, 'soon']) {
      const at = expiresAtFrom(expiresIn);
      expect(at).toBeGreaterThan(Date.now() + 299_000);
      expect(at).toBeLessThanOrEqual(Date.now() + 300_000);
    }
    expect(expiresAtFrom(60)).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it("measures the provider's clock from the iat of a fresh id_token", () => {
    const now = Math.floor(Date.now() / 1000);
    expect(providerClockOffset(jwt({ iat: now + 600 }))).toBeGreaterThanOrEqual(599);
    expect(providerClockOffset(jwt({ iat: now - 600 }))).toBeLessThanOrEqual(-599);
    expect(providerClockOffset(undefined)).toBe(0);
    expect(providerClockOffset('not a jwt')).toBe(0);
  });

  it('refuses a renewal that switches the user (OIDC Core 12.2)', () => {
    const session = { accessToken: 'a', refreshToken: null, expiresAt: 0 };
    const alice = { ...session, idToken: jwt({ iss: 'https://i', sub: 'alice' }) };
    const aliceAgain = { ...session, idToken: jwt({ iss: 'https://i', sub: 'alice', n: 2 }) };
    const bob = { ...session, idToken: jwt({ iss: 'https://i', sub: 'bob' }) };
    const otherIssuer = { ...session, idToken: jwt({ iss: 'https://j', sub: 'alice' }) };
    expect(() => assertSameUser(alice, aliceAgain)).not.toThrow();
    expect(() => assertSameUser(alice, { ...session, idToken: null })).not.toThrow();
    for (const other of [bob, otherIssuer]) {
      const error = (() => {
        try {
          assertSameUser(alice, other);
          return null;
        } catch (e) {
          return e as OidcError;
        }
      })();
      expect(error?.code).toBe('user_changed');
    }
  });

  it('maps timeouts and 5xx answers to retryable codes', () => {
    expect(toOidcError(new DOMException('signal timed out', 'TimeoutError')).code).toBe('timeout');
  });

  it('adds authorizationParams to the authorization request; the protocol parameters win', async () => {
    const ctx = await discover({
      ...config,
      authorizationParams: { audience: 'https://api.example.com', state: 'forced', client_id: 'x' },
    });
    const store = sessionStoreFor(config);
    const url = buildAuthorizationUrl(ctx, store, {
      redirectUri: 'https://app.example.com/',
      params: { response_type: 'code' },
    });
    expect(url.searchParams.get('audience')).toBe('https://api.example.com');
    expect(url.searchParams.get('client_id')).toBe('spa');
    expect(url.searchParams.get('state')).not.toBe('forced');
    expect(store.takePending(url.searchParams.get('state')!)).not.toBeNull();
  });

  it("takes the session's fixed end from the token response, keeps it on renewals that do not say", () => {
    const before = Date.now();
    const entra = toTokenSet({
      access_token: 'a1',
      token_type: 'bearer',
      refresh_token: 'r1',
      refresh_token_expires_in: 86_400,
    });
    expect(entra.sessionEndsAt).toBeGreaterThanOrEqual(before + 86_400_000);
    expect(entra.sessionEndsAt).toBeLessThan(Date.now() + 86_401_000);
    const keycloak = toTokenSet({
      access_token: 'a1',
      token_type: 'bearer',
      refresh_token: 'r1',
      refresh_expires_in: 1_800,
    });
    expect(keycloak.sessionEndsAt).toBeLessThan(Date.now() + 1_801_000);
    const offline = toTokenSet({
      access_token: 'a1',
      token_type: 'bearer',
      refresh_token: 'r1',
      refresh_expires_in: 0, // Keycloak's offline tokens: no end
    });
    expect(offline.sessionEndsAt).toBeUndefined();
    const renewed = toTokenSet(
      { access_token: 'a2', token_type: 'bearer', refresh_token: 'r2' },
      entra,
    );
    expect(renewed.sessionEndsAt).toBe(entra.sessionEndsAt!);
  });

  it("ends the session at config.logoutUrl's URL where discovery has no end_session_endpoint", () => {
    const store = sessionStoreFor(config);
    const as = discoveryDocument('https://cognito-idp.example.com/pool');
    const seen: unknown[] = [];
    const ctx = testOidcContext(
      {
        ...config,
        logoutUrl: (logout) => (seen.push(logout), `https://pool.example.com/logout?x=1`),
      },
      { ...as, authorization_endpoint: 'https://pool.example.com/oauth2/authorize' },
      'https://app.example.com/',
    );
    const tokens = { accessToken: 'a', idToken: 'i', refreshToken: null, expiresAt: 0 };
    expect(endSessionUrl(ctx, tokens, store)).toBe('https://pool.example.com/logout?x=1');
    expect(seen).toEqual([
      {
        clientId: 'spa',
        postLogoutRedirectUri: 'https://app.example.com/',
        idToken: 'i',
        authorizationEndpoint: 'https://pool.example.com/oauth2/authorize',
      },
    ]);
    const withEndpoint = { ...ctx, as: { ...ctx.as, end_session_endpoint: `${as.issuer}/end` } };
    expect(endSessionUrl(withEndpoint, tokens, store)).toMatch(
      /^https:\/\/cognito-idp\.example\.com\/pool\/end\?/,
    );
    const withoutLogoutUrl = testOidcContext(config, ctx.as, 'https://app.example.com/');
    expect(endSessionUrl(withoutLogoutUrl, tokens, store)).toBeNull();
  });

  it('revocation: a token type the provider does not revoke (unsupported_token_type) is no failure', async () => {
    const issuer = 'https://revoke-spec.example.com';
    const ctx = testOidcContext(config, {
      ...discoveryDocument(issuer),
      revocation_endpoint: `${issuer}/revoke`,
    });
    const tokens = { accessToken: 'jwt', idToken: null, refreshToken: 'rt', expiresAt: 0 };
    fakes.restore();
    fakes.fetch((_url, init) =>
      new URLSearchParams(String(init?.body)).get('token') === 'jwt'
        ? jsonResponse({ error: 'unsupported_token_type' }, 400)
        : new Response(null, { status: 200 }),
    );
    expect(await revokeTokens(ctx, tokens)).toBeNull();
    fakes.restore();
    fakes.fetch(() => jsonResponse({ error: 'invalid_client' }, 401));
    expect(await revokeTokens(ctx, tokens)).toContain('revocation_failed');
    const none = testOidcContext(config, discoveryDocument(issuer));
    expect(await revokeTokens(none, tokens)).toBeNull(); // no revocation endpoint: nothing to report
  });
});
