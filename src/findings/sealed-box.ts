import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

const VERSION = 'v1';

/**
 * AES-256-GCM encryption for secrets that must travel through the database
 * without being readable there: the text of a document waiting in the scan
 * queue, a secret waiting for its verify/revoke job, and (opt-in) the vault
 * used for later re-verification. Each purpose derives its own key with HKDF,
 * so a key for one purpose opens nothing else.
 *
 * @example
 *   const box = new SealedBox(masterKey, 'transit');
 *   const sealed = box.seal('xoxb-…'); // 'v1.<iv>.<tag>.<ciphertext>' (base64url)
 *   box.open(sealed) // 'xoxb-…'
 */
export class SealedBox {
  // A KeyObject, not bytes: given bytes, every cipher would build a key object of its own (~3× the cost of a seal).
  readonly #key: KeyObject;

  constructor(masterKey: string | Uint8Array, purpose: string) {
    if (masterKey.length < 32) throw new Error('encryption key must be at least 32 characters/bytes');
    this.#key = createSecretKey(
      Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `leakwatch ${purpose}`, 32)),
    );
  }

  seal(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join('.');
  }

  open(sealed: string): string {
    const [version, iv, tag, ciphertext] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || ciphertext === undefined) throw new Error('not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  }
}
