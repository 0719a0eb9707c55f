import { TestBed } from '@angular/core/testing';
import { OidcContext, OidcError, TokenSet } from './oidc';
import { AUTH_CONFIG, AuthConfig } from './provide-auth';
import { renewTokens } from './renew';
import { SessionStore } from './session-store';

const issuer = 'https://id.example.com';
const config: AuthConfig = {
  authority: issuer,
  clientId: 'spa',
  scope: 'openid offline_access',
  renewBeforeSeconds: 30,
  storage: 'memory',
  secureRoutes: [],
};
const ctx: OidcContext = {
  config: {
    ...config,
    redirectUri: '/',
    postLogoutRedirectUri: '/',
    silentRenewUri: '/',
    silentRenewTimeoutSeconds: 1,
  },
  as: { issuer, token_endpoint: `${issuer}/token` },
  client: { client_id: 'spa' },
  options: {},
};
const current: TokenSet = {
  accessToken: 'a1',
  idToken: 'i1',
  refreshToken: 'r1',
  expiresAt: Date.now() + 10_000,
};

describe('refresh token renewal', () => {
  const realFetch = globalThis.fetch;
  let store: SessionStore;
  let request: URLSearchParams | null;
  let reply: { status: number; body: object };

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [{ provide: AUTH_CONFIG, useValue: config }] });
    store = TestBed.inject(SessionStore);
    request = null;
    globalThis.fetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
      request = new URLSearchParams(String(init?.body));
      return new Response(JSON.stringify(reply.body), {
        status: reply.status,
        headers: { 'content-type': 'application/json' },
      });
    }) as typeof fetch;
  });

  afterEach(() => {
    globalThis.fetch = realFetch;
  });

  it('sends the refresh_token grant and keeps a rotated refresh token', async () => {
    reply = {
      status: 200,
      body: { access_token: 'a2', token_type: 'Bearer', expires_in: 300, refresh_token: 'r2' },
    };
    const next = await renewTokens(ctx, store, current);
    expect(request?.get('grant_type')).toBe('refresh_token');
    expect(request?.get('refresh_token')).toBe('r1');
    expect(request?.get('client_id')).toBe('spa');
    expect(next.accessToken).toBe('a2');
    expect(next.refreshToken).toBe('r2');
    expect(next.expiresAt).toBeGreaterThan(Date.now() + 290_000);
  });

  it('keeps the old refresh token when none is returned', async () => {
    reply = { status: 200, body: { access_token: 'a2', token_type: 'Bearer', expires_in: 300 } };
    const next = await renewTokens(ctx, store, current);
    expect(next.refreshToken).toBe('r1');
    expect(next.idToken).toBe('i1');
  });

  it('reports invalid_grant so that the session ends', async () => {
    reply = {
      status: 400,
      body: { error: 'invalid_grant', error_description: 'Token is not active' },
    };
    const error = await renewTokens(ctx, store, current).catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('invalid_grant');
    expect((error as OidcError).message).toContain('Token is not active');
  });

  it('cannot renew without a refresh token', async () => {
    const error = await renewTokens(ctx, store, { ...current, refreshToken: null }).catch(
      (e: unknown) => e,
    );
    expect((error as OidcError).code).toBe('login_required');
    expect(request).toBeNull();
  });
});
