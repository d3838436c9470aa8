import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { deriveKey } from '../../platform/crypto/index.js';

/**
 * Legacy (superseded by platform/crypto/envelope.ts, which still opens these `sb1.` envelopes
 * and re-seals them on rotation). Kept for its test and for reading rows written before.
 *
 * AES-256-GCM envelope for secrets we must be able to use again (a key's `whsec_` webhook
 * signing secret). The key is derived from CLIPMIX_SECRET with HKDF (label per purpose); the
 * envelope names the key by a short id so a rotated deployment secret is detected, not
 * mis-decrypted:
 *
 *   sb1.<key id: 8 hex>.<base64url(iv 12 ‖ tag 16 ‖ ciphertext)>
 *
 * `context` (e.g. the row id) is authenticated as associated data, so a ciphertext copied to
 * another row does not decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;
  readonly keyId: string;

  constructor(rootSecret: string, purpose: string) {
    this.key = deriveKey(rootSecret, `secret-box:${purpose}`);
    this.keyId = createHash('sha256').update(this.key).digest('hex').slice(0, 8);
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `sb1.${this.keyId}.${Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64url')}`;
  }

  open(envelope: string, context: string): string {
    const [version, keyId, body] = envelope.split('.');
    if (version !== 'sb1' || !body) throw new Error('not a secret-box envelope');
    if (keyId !== this.keyId) throw new Error('sealed with another key (was CLIPMIX_SECRET changed?)');
    const raw = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}
