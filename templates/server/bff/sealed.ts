import { base64url, CompactEncrypt, compactDecrypt } from 'jose';

/** How many opened records are kept (see open). */
const OPENED_MAX = 1_000;

/**
 * Encrypts what the store keeps (JWE, dir + A256GCM, through jose): tokens are never at rest in
 * the clear. The record's storage key goes into the protected header, so a record copied under
 * another key does not decrypt.
 */
export class Sealer {
  private readonly bytes: Uint8Array<ArrayBuffer>;
  /** Imported once: jose would import raw bytes again on every call. */
  private readonly key: Promise<CryptoKey>;
  /**
   * Records opened lately, by their sealed text: a session is read on every request and decrypting
   * it each time was half of what the API proxy adds to a call. A changed record is another text.
   */
  private readonly opened = new Map<string, { storageKey: string; value: unknown }>();

  /** `key`: 32 bytes, base64url; a random one (for memory sessions, which end with the process) when undefined. */
  constructor(key: string | undefined) {
    this.bytes = key ? bytesOf(key) : crypto.getRandomValues(new Uint8Array(32));
    if (this.bytes.length !== 32) {
      throw new Error(
        'BFF_SESSION_KEY must be 32 bytes, base64url (e.g. node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))")',
      );
    }
    this.key = crypto.subtle.importKey('raw', this.bytes, 'AES-GCM', false, ['encrypt', 'decrypt']);
  }

  async seal(storageKey: string, value: unknown): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(value)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', key: storageKey })
      .encrypt(await this.key);
  }

  /** The value, or undefined when it does not decrypt (another key, another record, tampered). */
  async open<T>(storageKey: string, sealed: string): Promise<T | undefined> {
    const known = this.opened.get(sealed);
    if (known) {
      this.opened.delete(sealed); // kept as the most recently used
      this.opened.set(sealed, known);
      return known.storageKey === storageKey ? (known.value as T) : undefined;
    }
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(sealed, await this.key);
      if (protectedHeader['key'] !== storageKey) return undefined;
      const value = JSON.parse(new TextDecoder().decode(plaintext)) as T;
      if (this.opened.size >= OPENED_MAX) this.opened.delete(this.opened.keys().next().value ?? '');
      this.opened.set(sealed, { storageKey, value });
      return value;
    } catch {
      return undefined;
    }
  }
}

/** The bytes of a base64url text; none when it is not base64url. */
function bytesOf(text: string): Uint8Array<ArrayBuffer> {
  try {
    return new Uint8Array(base64url.decode(text));
  } catch {
    return new Uint8Array(0);
  }
}
