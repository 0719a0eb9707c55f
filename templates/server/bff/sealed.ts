import { CompactEncrypt, compactDecrypt } from 'jose';

/**
 * Encrypts what the store keeps (JWE, dir + A256GCM, through jose): tokens are never at rest in
 * the clear. The record's storage key goes into the protected header, so a record copied under
 * another key does not decrypt.
 */
export class Sealer {
  private readonly key: Uint8Array;

  /** `key`: 32 bytes, base64url; a random one (for memory sessions, which end with the process) when undefined. */
  constructor(key: string | undefined) {
    this.key = key ? Buffer.from(key, 'base64url') : crypto.getRandomValues(new Uint8Array(32));
    if (this.key.length !== 32) {
      throw new Error(
        'BFF_SESSION_KEY must be 32 bytes, base64url (e.g. node -e "console.log(crypto.randomBytes(32).toString(\'base64url\'))")',
      );
    }
  }

  seal(storageKey: string, value: unknown): Promise<string> {
    return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(value)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', key: storageKey })
      .encrypt(this.key);
  }

  /** The value, or undefined when it does not decrypt (another key, another record, tampered). */
  async open<T>(storageKey: string, sealed: string): Promise<T | undefined> {
    try {
      const { plaintext, protectedHeader } = await compactDecrypt(sealed, this.key);
      return protectedHeader['key'] === storageKey
        ? (JSON.parse(new TextDecoder().decode(plaintext)) as T)
        : undefined;
    } catch {
      return undefined;
    }
  }
}
