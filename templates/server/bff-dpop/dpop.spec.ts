// @vitest-environment node
import { calculateJwkThumbprint } from 'jose';
import * as client from 'openid-client';
import { dpopHandle, newDpopKey, requireDpopBound } from './dpop';

const configuration = new client.Configuration({ issuer: 'https://id.example.com' }, 'bff');

describe('DPoP on the server', () => {
  it('makes a new ES256 key per sign-in, kept as a private JWK', async () => {
    const [a, b] = await Promise.all([newDpopKey(), newDpopKey()]);
    expect([a.kty, a.crv, typeof a.d]).toEqual(['EC', 'P-256', 'string']);
    expect(a.x).not.toBe(b.x);
  });

  it("signs with the key it was given: dpop_jkt is that key's thumbprint; one handle per key", async () => {
    const key = await newDpopKey();
    const handle = await dpopHandle(configuration, key);
    const thumbprint = await calculateJwkThumbprint({
      kty: 'EC',
      crv: key.crv,
      x: key.x,
      y: key.y,
    });
    expect(await handle.calculateThumbprint()).toBe(thumbprint);
    expect(await dpopHandle(configuration, { ...key })).toBe(handle);
  });

  it('refuses tokens the provider did not bind', () => {
    expect(() => requireDpopBound({ token_type: 'dpop' })).not.toThrow();
    expect(() => requireDpopBound({ token_type: 'bearer' })).toThrowError(
      /"bearer" token, not a DPoP-bound one/,
    );
  });
});
