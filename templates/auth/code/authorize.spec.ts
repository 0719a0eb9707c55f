import { TestBed } from '@angular/core/testing';
import {
  completeAuthorization,
  createAuthorizationUrl,
  isAuthorizationResponse,
} from './authorize';
import {
  GlobalFakes,
  clearAuthStorage,
  discoveryDocument,
  formBody,
  jsonResponse,
  sessionStoreFor,
  testAuthConfig,
  testOidcContext,
} from './auth.testing';
import { OidcError } from './oidc';
import { SessionStore } from './session-store';

const issuer = 'https://id.example.com';
const redirectUri = 'https://app.example.com/';
const config = testAuthConfig({ authority: issuer, scope: 'openid profile', storage: 'memory' });
const ctx = testOidcContext(config, discoveryDocument(issuer), redirectUri);

/** An id_token as a token endpoint hands it out (its signature is not checked on that channel). */
function idToken(nonce: string): string {
  const encode = (value: object) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: issuer, aud: 'spa', sub: 'alice', iat: now, exp: now + 300, nonce };
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(claims)}.c2lnbmF0dXJl`;
}

describe('authorization code flow with PKCE', () => {
  const fakes = new GlobalFakes();
  let store: SessionStore;
  let tokenRequest: URLSearchParams | null;
  let tokenNonce: string;

  beforeEach(() => {
    store = sessionStoreFor(config);
    tokenRequest = null;
    fakes.sameRealmDigest();
    fakes.fetch((_url, init) => {
      tokenRequest = formBody(init);
      return jsonResponse({
        access_token: 'at',
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: 'rt',
        id_token: idToken(tokenNonce),
      });
    });
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
  });

  async function authorize(): Promise<URLSearchParams> {
    const params = (await createAuthorizationUrl(ctx, redirectUri, store)).searchParams;
    tokenNonce = params.get('nonce') ?? '';
    return params;
  }

  it('asks for a code with an S256 challenge, state and nonce', async () => {
    const params = await authorize();
    expect(params.get('response_type')).toBe('code');
    expect(params.get('code_challenge_method')).toBe('S256');
    expect(params.get('code_challenge')?.length).toBe(43);
    expect(params.get('redirect_uri')).toBe(redirectUri);
    expect(params.get('scope')).toBe('openid profile');
    expect(params.get('state')).toBeTruthy();
    expect(params.get('nonce')).toBeTruthy();
    expect(params.get('prompt')).toBeNull();
  });

  it('recognises a callback by its query', () => {
    expect(isAuthorizationResponse(new URL(`${redirectUri}?code=c&state=s`))).toBe(true);
    expect(isAuthorizationResponse(new URL(`${redirectUri}?error=access_denied&state=s`))).toBe(
      true,
    );
    expect(isAuthorizationResponse(new URL(`${redirectUri}?page=2`))).toBe(false);
  });

  it('redeems the code with the PKCE verifier', async () => {
    const state = (await authorize()).get('state');
    const tokens = await completeAuthorization(
      ctx,
      redirectUri,
      store,
      new URL(`${redirectUri}?code=c1&state=${state}`),
    );
    expect(tokens.accessToken).toBe('at');
    expect(tokens.refreshToken).toBe('rt');
    expect(tokens.idToken).toBeTruthy();
    expect(tokenRequest?.get('grant_type')).toBe('authorization_code');
    expect(tokenRequest?.get('code')).toBe('c1');
    expect(tokenRequest?.get('code_verifier')?.length).toBe(43);
  });

  it('refuses a state it did not issue, and a state used twice', async () => {
    const state = (await authorize()).get('state');
    const forged = await completeAuthorization(
      ctx,
      redirectUri,
      store,
      new URL(`${redirectUri}?code=c&state=forged`),
    ).catch((e: unknown) => e);
    expect((forged as OidcError).code).toBe('invalid_state');
    await completeAuthorization(
      ctx,
      redirectUri,
      store,
      new URL(`${redirectUri}?code=c&state=${state}`),
    );
    const replay = await completeAuthorization(
      ctx,
      redirectUri,
      store,
      new URL(`${redirectUri}?code=c&state=${state}`),
    ).catch((e: unknown) => e);
    expect((replay as OidcError).code).toBe('invalid_state');
  });

  it('refuses an id_token with another nonce', async () => {
    const state = (await authorize()).get('state');
    tokenNonce = 'another';
    const error = await completeAuthorization(
      ctx,
      redirectUri,
      store,
      new URL(`${redirectUri}?code=c&state=${state}`),
    ).catch((e: unknown) => e);
    expect(error instanceof OidcError).toBe(true);
  });

  it('reports the provider error by its code', async () => {
    const state = (await authorize()).get('state');
    const error = await completeAuthorization(
      ctx,
      redirectUri,
      store,
      new URL(`${redirectUri}?error=login_required&state=${state}`),
    ).catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('login_required');
    expect(tokenRequest).toBeNull();
  });
});
