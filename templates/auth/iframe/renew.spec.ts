import { TestBed } from '@angular/core/testing';
import {
  GlobalFakes,
  clearAuthStorage,
  sessionStoreFor,
  testAuthConfig,
  testOidcContext,
  tokensToRenew,
} from './auth.testing';
import { OidcError } from './oidc';
import { renewTokens } from './renew';
import { SessionStore } from './session-store';
import { SILENT_RENEW_EVENT } from './silent-renew-frame';

const issuer = 'https://id.example.com';
const silentRenewUri = 'https://app.example.com/silent-renew.html';
const config = testAuthConfig({ authority: issuer, storage: 'memory' });
const ctx = testOidcContext(
  config,
  // about:blank keeps the hidden frame from loading anything during the test.
  {
    issuer,
    authorization_endpoint: 'about:blank',
    token_endpoint: `${issuer}/token`,
    jwks_uri: `${issuer}/jwks`,
  },
  '/',
  silentRenewUri,
);
const current = tokensToRenew({ refreshToken: null });

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
  const fakes = new GlobalFakes();
  let store: SessionStore;

  beforeEach(() => {
    fakes.sameRealmDigest();
    store = sessionStoreFor(config);
  });

  afterEach(() => {
    TestBed.resetTestingModule();
    fakes.restore();
    clearAuthStorage();
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
