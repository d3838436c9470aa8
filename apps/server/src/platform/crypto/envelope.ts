import { createCipheriv, createDecipheriv, createHash, randomBytes, type DecipherGCM } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { deriveKey } from './keys.js';

/**
 * Envelope encryption for data at rest (webhook secrets, third-party tokens, voice-clone ids,
 * sensitive files): AES-256-GCM under a data key derived with HKDF from a root secret
 * (CLIPMIX_SECRET) per key id and purpose. The key id travels with the ciphertext, so after the
 * root secret changes (old one moved to CLIPMIX_SECRET_PREVIOUS) old envelopes still open and
 * `rotate` re-seals them under the current key.
 *
 *   string: env1.<key id: 8 hex>.<base64url(iv 12 ‖ tag 16 ‖ ciphertext)>
 *   file:   "CMXE" 0x01 ‖ key id 4 bytes ‖ iv 12 ‖ ciphertext ‖ tag 16
 *
 * The caller's `aad` (usually the row or file id) is authenticated, so a ciphertext copied to
 * another row does not open. Legacy `sb1.` envelopes (modules/developer/secret-box.ts) still open.
 */
export interface SealOptions {
  /** Associated data bound to the ciphertext (e.g. the row id). */
  aad: string;
}

export class EnvelopeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EnvelopeError';
  }
}

interface KeyEntry {
  id: string;
  key: Buffer;
  /** Derived like the old SecretBox did, to open `sb1.` envelopes. */
  legacyKey: Buffer;
  legacyId: string;
}

const FILE_MAGIC = Buffer.from('CMXE\x01', 'latin1');
const FILE_HEADER = FILE_MAGIC.length + 4 + 12;
const TAG = 16;

/** The 8-hex id naming a root secret; never reveals anything about it. */
export function keyIdOf(rootSecret: string): string {
  return deriveKey(rootSecret, 'envelope:key-id', 4).toString('hex');
}

export class Envelope {
  private readonly keys: KeyEntry[];

  /** `secrets[0]` seals; every entry opens. */
  constructor(secrets: readonly string[], private readonly purpose: string) {
    if (!secrets.length) throw new Error('Envelope needs at least one root secret');
    this.keys = secrets.map((s) => {
      const id = keyIdOf(s);
      const legacyKey = deriveKey(s, `secret-box:${purpose}`);
      return {
        id,
        key: deriveKey(s, `envelope:${id}:${purpose}`),
        legacyKey,
        legacyId: createHash('sha256').update(legacyKey).digest('hex').slice(0, 8),
      };
    });
  }

  get currentKeyId(): string {
    return this.keys[0]!.id;
  }

  seal(plaintext: string | Buffer, opts: SealOptions): string {
    return `env1.${this.currentKeyId}.${this.sealRaw(this.keys[0]!.key, plaintext, opts.aad).toString('base64url')}`;
  }

  open(envelope: string, opts: SealOptions): string {
    return this.openBuffer(envelope, opts).toString('utf8');
  }

  openBuffer(envelope: string, opts: SealOptions): Buffer {
    const [version, keyId, body, extra] = envelope.split('.');
    if (!body || extra !== undefined || (version !== 'env1' && version !== 'sb1')) throw new EnvelopeError('not an envelope');
    const entry = version === 'env1' ? this.keys.find((k) => k.id === keyId) : this.keys.find((k) => k.legacyId === keyId);
    if (!entry) throw new EnvelopeError('sealed with another key (was CLIPMIX_SECRET changed without CLIPMIX_SECRET_PREVIOUS?)');
    const raw = Buffer.from(body, 'base64url');
    if (raw.length < 12 + TAG) throw new EnvelopeError('envelope too short');
    const decipher = createDecipheriv('aes-256-gcm', version === 'env1' ? entry.key : entry.legacyKey, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(opts.aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 12 + TAG));
    try {
      return Buffer.concat([decipher.update(raw.subarray(12 + TAG)), decipher.final()]);
    } catch {
      throw new EnvelopeError('envelope failed authentication (tampered, or wrong associated data)');
    }
  }

  /** True when the envelope is not sealed under the current key (old secret or legacy format). */
  needsRotation(envelope: string): boolean {
    return !envelope.startsWith(`env1.${this.currentKeyId}.`);
  }

  /** Re-seals under the current key; returns the input unchanged when already current. */
  rotate(envelope: string, opts: SealOptions): string {
    if (!this.needsRotation(envelope)) return envelope;
    return this.seal(this.openBuffer(envelope, opts), opts);
  }

  /** A transform turning plaintext bytes into the file format above. */
  sealStream(opts: SealOptions): Transform {
    const iv = randomBytes(12);
    const header = Buffer.concat([FILE_MAGIC, Buffer.from(this.currentKeyId, 'hex'), iv]);
    const cipher = createCipheriv('aes-256-gcm', this.keys[0]!.key, iv);
    cipher.setAAD(Buffer.concat([header, Buffer.from(opts.aad, 'utf8')]));
    let started = false;
    return new Transform({
      transform(chunk: Buffer, _enc, cb: TransformCallback) {
        if (!started) {
          started = true;
          this.push(header);
        }
        cb(null, cipher.update(chunk));
      },
      flush(cb: TransformCallback) {
        if (!started) this.push(header);
        this.push(cipher.final());
        cb(null, cipher.getAuthTag());
      },
    });
  }

  /**
   * The inverse of sealStream. Plaintext is emitted before the tag is checked (GCM cannot do
   * otherwise while streaming), so consumers must treat output as untrusted until the stream
   * ends without error — openFile does this by writing to a temp file and renaming on success.
   */
  openStream(opts: SealOptions): Transform {
    const keys = this.keys;
    let head = Buffer.alloc(0);
    let decipher: DecipherGCM | null = null;
    let tail = Buffer.alloc(0);
    return new Transform({
      transform(chunk: Buffer, _enc, cb: TransformCallback) {
        try {
          if (!decipher) {
            head = Buffer.concat([head, chunk]);
            if (head.length < FILE_HEADER) return cb();
            const header = head.subarray(0, FILE_HEADER);
            if (!header.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) throw new EnvelopeError('not a sealed file');
            const kid = header.subarray(FILE_MAGIC.length, FILE_MAGIC.length + 4).toString('hex');
            const entry = keys.find((k) => k.id === kid);
            if (!entry) throw new EnvelopeError('file sealed with another key (was CLIPMIX_SECRET changed without CLIPMIX_SECRET_PREVIOUS?)');
            decipher = createDecipheriv('aes-256-gcm', entry.key, header.subarray(FILE_MAGIC.length + 4));
            decipher.setAAD(Buffer.concat([header, Buffer.from(opts.aad, 'utf8')]));
            chunk = head.subarray(FILE_HEADER);
          }
          // Hold back the last 16 bytes: they may be the tag.
          const buf = Buffer.concat([tail, chunk]);
          tail = buf.subarray(Math.max(0, buf.length - TAG));
          cb(null, decipher.update(buf.subarray(0, Math.max(0, buf.length - TAG))));
        } catch (err) {
          cb(err as Error);
        }
      },
      flush(cb: TransformCallback) {
        if (!decipher || tail.length < TAG) return cb(new EnvelopeError('sealed file truncated'));
        try {
          decipher.setAuthTag(tail);
          cb(null, decipher.final());
        } catch {
          cb(new EnvelopeError('sealed file failed authentication (tampered, or wrong associated data)'));
        }
      },
    });
  }

  /** Encrypts srcPath into destPath (written to a temp file, renamed when complete). */
  async sealFile(srcPath: string, destPath: string, opts: SealOptions): Promise<void> {
    await atomicPipe(srcPath, destPath, this.sealStream(opts));
  }

  /** Decrypts srcPath into destPath; destPath only appears when authentication succeeded. */
  async openFile(srcPath: string, destPath: string, opts: SealOptions): Promise<void> {
    await atomicPipe(srcPath, destPath, this.openStream(opts));
  }

  private sealRaw(key: Buffer, plaintext: string | Buffer, aad: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const ct = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ct]);
  }
}

async function atomicPipe(src: string, dest: string, transform: Transform): Promise<void> {
  const tmp = `${dest}.${randomBytes(6).toString('hex')}.part`;
  try {
    await pipeline(createReadStream(src), transform, createWriteStream(tmp, { mode: 0o600 }));
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** The root secrets from config: the current one first, then any previous ones (rotation). */
export function rootSecrets(config: { secret: string; previousSecrets?: readonly string[] }): string[] {
  return [config.secret, ...(config.previousSecrets ?? [])];
}

/** The envelope for one purpose ('webhook-secret', 'oauth-token', 'sensitive-file', …). */
export function envelopeFor(config: { secret: string; previousSecrets?: readonly string[] }, purpose: string): Envelope {
  return new Envelope(rootSecrets(config), purpose);
}
