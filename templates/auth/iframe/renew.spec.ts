import { TestBed } from '@angular/core/testing';
import { OidcContext, OidcError, TokenSet } from './oidc';
import { AUTH_CONFIG, AuthConfig } from './provide-auth';
import { renewTokens } from './renew';
import { SessionStore } from './session-store';
import { SILENT_RENEW_EVENT } from './silent-renew-frame';

const issuer = 'https://id.example.com';
const silentRenewUri = 'https://app.example.com/silent-renew.html';
const config: AuthConfig = {
  authority: issuer,
  clientId: 'spa',
  scope: 'openid',
  renewBeforeSeconds: 30,
  storage: 'memory',
  secureRoutes: [],
};
const ctx: OidcContext = {
  config: {
    ...config,
    redirectUri: '/',
    postLogoutRedirectUri: '/',
    silentRenewUri,
    silentRenewTimeoutSeconds: 1,
  },
  // about:blank keeps the hidden frame from loading anything during the test.
  as: {
    issuer,
    authorization_endpoint: 'about:blank',
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
  },
  client: { client_id: 'spa' },
  options: {},
};
const current: TokenSet = {
  accessToken: 'a1',
  idToken: 'i1',
  refreshToken: null,
  expiresAt: Date.now() + 10_000,
};

/** Waits for the hidden frame, then answers as silent-renew.js would (both query and fragment, for either flow). */
async function answerFrame(response: (state: string) => string): Promise<URLSearchParams> {
  let frame: HTMLIFrameElement | null = null;
  while (!frame) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    frame = document.querySelector<HTMLIFrameElement>('iframe[name^="silent-renew-"]');
  }
  const request = new URL(frame.src).searchParams;
  const detail = {
    frame: frame.name,
    url: `${silentRenewUri}${response(request.get('state') ?? '')}`,
  };
  window.dispatchEvent(new CustomEvent(SILENT_RENEW_EVENT, { detail }));
  return request;
}

describe('iframe renewal', () => {
  const realDigest = crypto.subtle.digest;
  let store: SessionStore;

  beforeEach(() => {
    // jsdom hands out digests as ArrayBuffers of another realm; copy them into this one.
    crypto.subtle.digest = async (algorithm: AlgorithmIdentifier, data: BufferSource) =>
      new Uint8Array(await realDigest.call(crypto.subtle, algorithm, data)).slice().buffer;
    TestBed.configureTestingModule({ providers: [{ provide: AUTH_CONFIG, useValue: config }] });
    store = TestBed.inject(SessionStore);
  });

  afterEach(() => {
    crypto.subtle.digest = realDigest;
    sessionStorage.removeItem('auth.pending');
  });

  it('asks silently, to silentRenewUri, hinting the current id_token', async () => {
    const renewal = renewTokens(ctx, store, current).catch((e: unknown) => e);
    const request = await answerFrame(
      (state) => `?error=login_required&state=${state}#error=login_required&state=${state}`,
    );
    expect(request.get('prompt')).toBe('none');
    expect(request.get('redirect_uri')).toBe(silentRenewUri);
    expect(request.get('id_token_hint')).toBe('i1');
    const error = (await renewal) as OidcError;
    expect(error.code).toBe('login_required');
    expect(error.message).toContain('third-party cookies');
  });

  it('checks the state of the answer like the main callback', async () => {
    const renewal = renewTokens(ctx, store, current).catch((e: unknown) => e);
    await answerFrame(() => '?code=c&state=forged#access_token=a&state=forged');
    expect(((await renewal) as OidcError).code).toBe('invalid_state');
  });

  it('gives up after silentRenewTimeoutSeconds', async () => {
    const quick = { ...ctx, config: { ...ctx.config, silentRenewTimeoutSeconds: 0.03 } };
    const error = await renewTokens(quick, store, current).catch((e: unknown) => e);
    expect((error as OidcError).code).toBe('timeout');
    expect(document.querySelector('iframe[name^="silent-renew-"]')).toBeNull();
  });
});
