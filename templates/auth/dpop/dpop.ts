import { SignJWT, base64url, exportJWK } from 'jose';
import type { AuthConfig } from './auth-config';

// DPoP (RFC 9449): every token is bound to a key pair the page can use but never read (the private
// key is a non-extractable WebCrypto key). It is kept for as long as the session: in IndexedDB per
// tab (storage 'session'), shared by the tabs ('local'), or in memory only ('memory'). oauth4webapi
// signs the proofs of token requests; the proofs of API calls are signed here, with jose.

const DATABASE = 'auth.dpop';
const KEYS = 'keys';
/** Key pairs in use, by id: one object per key, so that callers can cache per key pair. */
const loaded = new Map<string, CryptoKeyPair>();

export async function sessionKeys(
  config: AuthConfig,
  create: boolean,
): Promise<CryptoKeyPair | null> {
  const id = keyId(config, create);
  if (!id) return null;
  if (create) {
    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    loaded.set(id, keys);
    if (config.storage !== 'memory')
      await database('readwrite', (store) => store.put(keys, id)).catch(() => undefined);
    return keys;
  }
  let keys = loaded.get(id) ?? null;
  if (!keys && config.storage !== 'memory') {
    keys = (await database('readonly', (store) => store.get(id)).catch(() => null)) ?? null;
    if (keys) loaded.set(id, keys);
  }
  return keys;
}

export async function forgetKeys(config: AuthConfig): Promise<void> {
  const id = keyId(config, false);
  if (!id) return;
  loaded.delete(id);
  if (config.storage === 'session') sessionStorage.removeItem(sharedKey(config));
  if (config.storage !== 'memory')
    await database('readwrite', (store) => store.delete(id)).catch(() => undefined);
}

/**
 * The proof of one request: `htm` and `htu` (the URL without query and fragment), `iat`, a fresh
 * `jti`, `ath` (the access token's SHA-256) when a token is sent, and the server's `nonce` if any.
 */
export async function proof(
  keys: CryptoKeyPair,
  method: string,
  url: string,
  accessToken?: string,
  nonce?: string,
): Promise<string> {
  const target = new URL(url, document.baseURI);
  const claims: Record<string, string> = {
    htm: method.toUpperCase(),
    htu: target.origin + target.pathname,
    jti: base64url.encode(crypto.getRandomValues(new Uint8Array(16))),
  };
  if (accessToken) {
    const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(accessToken));
    claims['ath'] = base64url.encode(new Uint8Array(hash));
  }
  if (nonce) claims['nonce'] = nonce;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', typ: 'dpop+jwt', jwk: await exportJWK(keys.publicKey) })
    .setIssuedAt()
    .sign(keys.privateKey);
}

/**
 * `auth.dpop:<clientId>@<authority>`, named like the session store's keys. Not imported from
 * session-store.ts: a lazy chunk that imports from that initial module makes the bundler keep
 * ~3 kB more of the initial bundle (measured with Angular CLI 22).
 */
function sharedKey(config: Pick<AuthConfig, 'clientId' | 'authority'>): string {
  return `auth.dpop:${config.clientId}@${config.authority}`;
}

/** The IndexedDB key of this session's key pair; per tab for storage 'session'. */
function keyId(config: AuthConfig, create: boolean): string | null {
  const shared = sharedKey(config);
  if (config.storage !== 'session') return shared;
  let tab = sessionStorage.getItem(shared);
  if (!tab && create) {
    tab = base64url.encode(crypto.getRandomValues(new Uint8Array(12)));
    sessionStorage.setItem(shared, tab);
  }
  return tab && `${shared}#${tab}`;
}

/** Runs one request on the key store; rejects where IndexedDB is missing or fails. */
function database<T>(
  mode: IDBTransactionMode,
  run: (keys: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DATABASE, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(KEYS);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      try {
        const request = run(db.transaction(KEYS, mode).objectStore(KEYS));
        request.onsuccess = () => (db.close(), resolve(request.result));
        request.onerror = () => (db.close(), reject(request.error));
      } catch (error) {
        db.close(); // a database without the store (made by something else): no hang, a rejection
        reject(error);
      }
    };
  });
}
