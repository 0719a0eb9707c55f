import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * Encrypts what the store keeps (JWE, dir + A256GCM, through jose): tokens are never at rest in
 * the clear. The record's storage key goes into the protected header, so a record copied under
 * another key does not decrypt.
 */
export class Sealer {
  private readonly bytes: Uint8Array<ArrayBuffer>;
  /** Imported once: jose would import raw bytes again on every call. */
  private readonly key: Promise<CryptoKey>;

  /** `key`: 32 bytes, base64url; a random one (for memory sessions, which end with the process) when undefined. */
  constructor(key: string | undefined) {
    this.bytes = key
      ? new Uint8Array(Buffer.from(key, 'base64url'))
      : crypto.getRandomValues(new Uint8Array(32));
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
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(sealed, await this.key);
      return protectedHeader['key'] === storageKey
        ? (JSON.parse(new TextDecoder().decode(plaintext)) as T)
        : undefined;
    } catch {
      return undefined;
    }
  }
}
