import { TestBed } from '@angular/core/testing';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import {
  completeAuthorization,
  createAuthorizationUrl,
  isAuthorizationResponse,
} from './authorize';
import {
  GlobalFakes,
  clearAuthStorage,
  jsonResponse,
  sessionStoreFor,
  testAuthConfig,
  testOidcContext,
} from './auth.testing';
import { OidcError } from './oidc';
import { SessionStore } from './session-store';

const issuer = 'https://implicit-spec.example.com';
const redirectUri = 'https://app.example.com/';
const config = testAuthConfig({ authority: issuer, scope: 'openid profile', storage: 'memory' });
const ctx = testOidcContext(
  config,
  {
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    jwks_uri: `${issuer}/jwks`,
    authorization_response_iss_parameter_supported: true,
  },
  redirectUri,
);
// at_hash of this access token (SHA-256, left half, base64url), computed independently.
const accessToken = 'jHkWEdUXMU1BwAsC4vtUsZwnNDz';
const atHash = 'WFjtKL34oOkgu_6AzZFQpw';
const keys = generateKeyPair('RS256', { extractable: true });

async function idToken(claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: issuer,
    aud: 'spa',
    sub: 'alice',
    iat: now,
    exp: now + 300,
    at_hash: atHash,
    ...claims,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .sign((await keys).privateKey);
}

describe('implicit flow', () => {
  const fakes = new GlobalFakes();
  let store: SessionStore;

  beforeEach(() => {
    store = sessionStoreFor(config);
    fakes.fetch(async () => {
      const jwk = {
        ...(await exportJWK((await keys).publicKey)),
        kid: 'k1',
        alg: 'RS256',
        use: 'sig',
      };
      return jsonResponse({ keys: [jwk] });
    });
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
  });

  /** Starts an authorization and builds the provider's answer to it. */
  async function respond(claims: Record<string, unknown> = {}, token = accessToken): Promise<URL> {
    const request = (await createAuthorizationUrl(ctx, redirectUri, store)).searchParams;
    const id = await idToken({ nonce: request.get('nonce'), ...claims });
    const fragment = new URLSearchParams({
      access_token: token,
      token_type: 'Bearer',
      expires_in: '300',
      id_token: id,
    });
    fragment.set('state', request.get('state') ?? '');
    return new URL(`${redirectUri}#${fragment}`);
  }

  it('asks for an id_token and an access token with state and nonce', async () => {
    const params = (await createAuthorizationUrl(ctx, redirectUri, store, 'none')).searchParams;
    expect(params.get('response_type')).toBe('id_token token');
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('prompt')).toBe('none');
  });

  it('recognises a callback by its fragment', () => {
    expect(isAuthorizationResponse(new URL(`${redirectUri}#access_token=a&state=s`))).toBe(true);
    expect(isAuthorizationResponse(new URL(`${redirectUri}#error=login_required&state=s`))).toBe(
      true,
    );
    expect(isAuthorizationResponse(new URL(`${redirectUri}?code=c&state=s`))).toBe(false);
  });

  it('accepts a correctly signed id_token bound to the access token (its iss stands for a missing iss parameter)', async () => {
    const tokens = await completeAuthorization(ctx, redirectUri, store, await respond());
    expect(tokens.accessToken).toBe(accessToken);
    expect(tokens.idToken).toBeTruthy();
    expect(tokens.refreshToken).toBeNull();
    expect(tokens.expiresAt).toBeGreaterThan(Date.now() + 290_000);
  });

  it('refuses another nonce, another audience, or an at_hash of another token', async () => {
    for (const url of [
      await respond({ nonce: 'another' }),
      await respond({ aud: 'someone-else' }),
      await respond({}, 'another-access-token'),
    ]) {
      const error = await completeAuthorization(ctx, redirectUri, store, url).catch(
        (e: unknown) => e,
      );
      expect(error instanceof OidcError).toBe(true);
    }
  });

  it('refuses a tampered signature', async () => {
    const url = await respond();
    const params = new URLSearchParams(url.hash.slice(1));
    const [header, payload] = (params.get('id_token') ?? '').split('.');
    params.set('id_token', `${header}.${payload}.${'A'.repeat(342)}`);
    url.hash = params.toString();
    const error = await completeAuthorization(ctx, redirectUri, store, url).catch(
      (e: unknown) => e,
    );
    expect((error as OidcError).code).toBe('ERR_JWS_SIGNATURE_VERIFICATION_FAILED');
  });

  it('refuses an iss parameter naming another issuer', async () => {
    const url = await respond();
    url.hash += '&iss=https%3A%2F%2Fevil.example.com';
    const error = await completeAuthorization(ctx, redirectUri, store, url).catch(
      (e: unknown) => e,
    );
    expect((error as OidcError).code).toBe('OAUTH_INVALID_RESPONSE');
  });

  it('refuses a state it did not issue', async () => {
    const url = await respond();
    url.hash = url.hash.replace(/state=[^&]*/, 'state=forged');
    const error = await completeAuthorization(ctx, redirectUri, store, url).catch(
      (e: unknown) => e,
    );
    expect((error as OidcError).code).toBe('invalid_state');
  });
});
