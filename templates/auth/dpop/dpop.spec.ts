import { TestBed } from '@angular/core/testing';
import {
  EmbeddedJWK,
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  jwtVerify,
} from 'jose';
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
import { createAuthorizationUrl } from './authorize';
import { forgetKeys, proof, sessionKeys } from './dpop';
import { OidcError, dpopHandle } from './oidc';
import { renewTokens } from './renew';
import { storageKey } from './session-store';

const issuer = 'https://dpop-spec.example.com';
const config = testAuthConfig({
  authority: issuer,
  storage: 'memory',
  dpop: () => import('./dpop'),
});
const ctx = testOidcContext(config, discoveryDocument(issuer));

async function verify(jwt: string) {
  return jwtVerify(jwt, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: ['ES256'] });
}

describe('DPoP', () => {
  const fakes = new GlobalFakes();

  beforeEach(() => {
    fakes.sameRealmDigest();
  });

  afterEach(async () => {
    TestBed.resetTestingModule();
    fakes.restore();
    await forgetKeys(config);
  });

  it('makes a non-extractable ES256 key pair per session, kept until forgotten', async () => {
    const keys = await sessionKeys(config, true);
    expect(keys?.privateKey.extractable).toBe(false);
    expect(keys?.privateKey.algorithm.name).toBe('ECDSA');
    expect(await sessionKeys(config, false)).toBe(keys);
    await forgetKeys(config);
    expect(await sessionKeys(config, false)).toBeNull();
  });

  it("keeps a tab's key id under the session store's naming (storage 'session'), removed when forgotten", async () => {
    const perTab = { ...config, storage: 'session' as const };
    const keys = await sessionKeys(perTab, true);
    expect(sessionStorage.getItem(storageKey('dpop', perTab))).toMatch(/^[\w-]{16}$/);
    expect(await sessionKeys(perTab, false)).toBe(keys);
    await forgetKeys(perTab);
    expect(sessionStorage.getItem(storageKey('dpop', perTab))).toBeNull();
  });

  it('signs a proof with htm, htu without query and fragment, iat, a fresh jti and ath', async () => {
    const keys = (await sessionKeys(config, true))!;
    const url = 'https://api.example.com/orders?page=2#top';
    const first = await proof(keys, 'get', url, 'the-access-token');
    const second = await proof(keys, 'GET', url, 'the-access-token', 'server-nonce');
    const { payload, protectedHeader } = await verify(first);
    expect(protectedHeader.alg).toBe('ES256');
    expect((protectedHeader.jwk as Record<string, unknown>)['d']).toBeUndefined(); // only the public key travels
    expect(payload['htm']).toBe('GET');
    expect(payload['htu']).toBe('https://api.example.com/orders');
    expect(Math.abs(Number(payload.iat) - Date.now() / 1000)).toBeLessThan(5);
    const hash = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode('the-access-token'),
    );
    expect(payload['ath']).toBe(base64url.encode(new Uint8Array(hash)));
    expect(payload['nonce']).toBeUndefined();
    const again = (await verify(second)).payload;
    expect(again['jti']).not.toBe(payload['jti']);
    expect(again['nonce']).toBe('server-nonce');
  });

  it("binds the token requests to the session's key and retries a use_dpop_nonce answer once", async () => {
    const keys = (await sessionKeys(config, true))!;
    const thumbprint = await calculateJwkThumbprint(
      decodeProtectedHeader(await proof(keys, 'POST', issuer)).jwk!,
    );
    expect(await (await dpopHandle(ctx))?.calculateThumbprint()).toBe(thumbprint);
    const proofs: string[] = [];
    fakes.fetch((_url, init) => {
      proofs.push(new Headers(init?.headers).get('dpop') ?? '');
      expect(formBody(init).get('grant_type')).toBe('refresh_token');
      if (proofs.length === 1) {
        return new Response(JSON.stringify({ error: 'use_dpop_nonce' }), {
          status: 400,
          headers: { 'content-type': 'application/json', 'dpop-nonce': 'n-1' },
        });
      }
      return jsonResponse({ access_token: 'a2', token_type: 'DPoP', expires_in: 60 });
    });
    const renewed = await renewTokens(ctx, sessionStoreFor(config), tokensToRenew());
    expect(renewed.accessToken).toBe('a2');
    expect(proofs.length).toBe(2);
    const [first, second] = await Promise.all(proofs.map(verify));
    expect(first.payload['nonce']).toBeUndefined();
    expect(second.payload['nonce']).toBe('n-1');
    expect(await calculateJwkThumbprint(second.protectedHeader.jwk!)).toBe(thumbprint);
  });

  it('makes a new key pair at sign-in and binds the code to it (dpop_jkt)', async () => {
    const old = await sessionKeys(config, true);
    const url = await createAuthorizationUrl(ctx, '/', sessionStoreFor(config));
    const keys = (await sessionKeys(config, false))!;
    expect(keys).not.toBe(old);
    const jwk = decodeProtectedHeader(await proof(keys, 'GET', issuer)).jwk!;
    expect(url.searchParams.get('dpop_jkt')).toBe(await calculateJwkThumbprint(jwk));
  });

  it('refuses a Bearer token in answer to a DPoP request: never a silent downgrade', async () => {
    await sessionKeys(config, true);
    fakes.fetch(() => jsonResponse({ access_token: 'a2', token_type: 'Bearer', expires_in: 60 }));
    const error = await renewTokens(ctx, sessionStoreFor(config), tokensToRenew()).catch(
      (e: unknown) => e,
    );
    expect((error as OidcError).code).toBe('invalid_token_type');
  });

  it('cannot renew once the key is gone', async () => {
    const error = await renewTokens(ctx, sessionStoreFor(config), tokensToRenew()).catch(
      (e: unknown) => e,
    );
    expect((error as OidcError).code).toBe('login_required');
  });
});
