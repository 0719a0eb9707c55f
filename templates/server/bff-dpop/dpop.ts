import * as client from 'openid-client';

// DPoP (RFC 9449, --dpop): the tokens of a session are bound to a key pair made on this server at
// sign-in. The private key is kept with the tokens (sealed in the session store, so that every
// instance can sign with it) and never reaches the browser. openid-client signs the proofs of the
// token requests and of the API calls, and retries once with the server's nonce when asked to.

/** A session's key pair: the private ES256 key as a JWK (its public half is in it). */
export type DpopKey = JsonWebKey & { kty: string; crv: string; x: string; y: string; d: string };

const EC = { name: 'ECDSA', namedCurve: 'P-256' };
/** How many key handles are kept ready (see dpopHandle). */
const HANDLES_MAX = 1_000;
const handles = new Map<string, Promise<client.DPoPHandle>>();

export async function newDpopKey(): Promise<DpopKey> {
  const { privateKey } = await client.randomDPoPKeyPair('ES256', { extractable: true });
  // An exported EC private key has all of kty, crv, x, y and d.
  return (await crypto.subtle.exportKey('jwk', privateKey)) as DpopKey;
}

/**
 * The handle that signs with `key`, kept for the next calls of the session (importing the key
 * costs more than a signature, and the handle remembers the servers' DPoP nonces).
 */
export function dpopHandle(
  configuration: client.Configuration,
  key: DpopKey,
): Promise<client.DPoPHandle> {
  const id = `${key.x}.${key.y}`;
  let handle = handles.get(id);
  if (handle) {
    handles.delete(id); // kept as the most recently used
  } else {
    handle = keyPairOf(key).then((pair) => client.getDPoPHandle(configuration, pair));
    handle.catch(() => handles.delete(id));
  }
  handles.set(id, handle);
  if (handles.size > HANDLES_MAX) handles.delete(handles.keys().next().value ?? '');
  return handle;
}

/** Tokens the provider did not bind to the key (token_type Bearer) are refused: never a silent downgrade. */
export function requireDpopBound(tokens: { token_type: string }): void {
  if (tokens.token_type.toLowerCase() !== 'dpop') {
    throw new Error(
      `the provider issued a "${tokens.token_type}" token, not a DPoP-bound one: enable DPoP for this client at the provider`,
    );
  }
}

async function keyPairOf(key: DpopKey): Promise<CryptoKeyPair> {
  const publicKey: JsonWebKey = { kty: key.kty, crv: key.crv, x: key.x, y: key.y };
  const [privateKeyObject, publicKeyObject] = await Promise.all([
    crypto.subtle.importKey('jwk', key, EC, false, ['sign']),
    crypto.subtle.importKey('jwk', publicKey, EC, true, ['verify']),
  ]);
  return { privateKey: privateKeyObject, publicKey: publicKeyObject };
}
