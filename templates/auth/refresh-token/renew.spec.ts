import { TestBed } from '@angular/core/testing';
import {
  GlobalFakes,
  discoveryDocument,
  formBody,
  jsonResponse,
  sessionStoreFor,
  testAuthConfig,
  testOidcContext,
  tokensToRenew,
} from './auth.testing';
import { OidcError } from './oidc';
import { renewTokens } from './renew';
import { SessionStore } from './session-store';

const issuer = 'https://id.example.com';
const config = testAuthConfig({
  authority: issuer,
  scope: 'openid offline_access',
  storage: 'memory',
});
const ctx = testOidcContext(config, discoveryDocument(issuer));
const current = tokensToRenew();

describe('refresh token renewal', () => {
  const fakes = new GlobalFakes();
  let store: SessionStore;
  let request: URLSearchParams | null;
  let reply: { status: number; body: object };

  beforeEach(() => {
    store = sessionStoreFor(config);
    request = null;
    fakes.fetch((_url, init) => {
      request = formBody(init);
      return jsonResponse(reply.body, reply.status);
    });
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
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

  it('abandons a request the provider does not answer within requestTimeoutSeconds', async () => {
    fakes.fetch(
      (_url, init) =>
        new Promise<Response>((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    );
    const hasty = { ...ctx, config: { ...ctx.config, requestTimeoutSeconds: 0.05 } };
    const error = await renewTokens(hasty, store, current).catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('timeout');
  });

  it('reports a 5xx answer as server_error, which is retried rather than ending the session', async () => {
    fakes.fetch(() => new Response('Service Unavailable', { status: 503 }));
    const error = await renewTokens(ctx, store, current).catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('server_error');
    expect((error as OidcError).message).toContain('503');
  });

  it('uses the documented default lifetime (300 s) when expires_in is missing', async () => {
    reply = { status: 200, body: { access_token: 'a2', token_type: 'Bearer' } };
    const next = await renewTokens(ctx, store, current);
    expect(next.expiresAt).toBeGreaterThan(Date.now() + 290_000);
    expect(next.expiresAt).toBeLessThan(Date.now() + 310_000);
  });
});
