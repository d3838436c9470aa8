import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Envelope, EnvelopeError, keyIdOf } from '../src/platform/crypto/envelope.js';
import { SecretBox } from '../src/modules/developer/secret-box.js';
import { rotateSealedColumns } from '../src/modules/privacy/rotate.js';
import { allModules } from '../src/modules/index.js';
import { developer } from '../src/modules/developer/index.js';
import { createTestApp } from './helpers/app.js';
import { signUp } from './helpers/session.js';

const OLD = 'o'.repeat(40);
const NEW = 'n'.repeat(40);

describe('envelope encryption', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'clipmix-env-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('round-trips, names its key id, and binds the associated data', () => {
    const box = new Envelope([NEW], 'token');
    const sealed = box.seal('ya29.secret-token', { aad: 'row_1' });
    expect(sealed.startsWith(`env1.${keyIdOf(NEW)}.`)).toBe(true);
    expect(sealed).not.toContain('secret-token');
    expect(box.open(sealed, { aad: 'row_1' })).toBe('ya29.secret-token');
    expect(box.seal('ya29.secret-token', { aad: 'row_1' })).not.toBe(sealed);
    expect(() => box.open(sealed, { aad: 'row_2' })).toThrow(EnvelopeError);
    // A different purpose derives a different data key.
    expect(() => new Envelope([NEW], 'other').open(sealed, { aad: 'row_1' })).toThrow(EnvelopeError);
  });

  it('detects tampering with any byte of the ciphertext', () => {
    const box = new Envelope([NEW], 'token');
    const sealed = box.seal('hello world', { aad: 'a' });
    const [v, kid, body] = sealed.split('.');
    const raw = Buffer.from(body!, 'base64url');
    for (const i of [0, 12, 20, raw.length - 1]) {
      const t = Buffer.from(raw);
      t[i]! ^= 0x01;
      expect(() => box.open(`${v}.${kid}.${t.toString('base64url')}`, { aad: 'a' }), `byte ${i}`).toThrow(/authentication/);
    }
    expect(() => box.open(`${v}.${kid}.${raw.subarray(0, 20).toString('base64url')}`, { aad: 'a' })).toThrow(EnvelopeError);
    expect(() => box.open('garbage', { aad: 'a' })).toThrow(/not an envelope/);
  });

  it('opens envelopes of a previous secret and rotates them to the current key', () => {
    const old = new Envelope([OLD], 'token').seal('s3cr3t', { aad: 'k' });
    expect(() => new Envelope([NEW], 'token').open(old, { aad: 'k' })).toThrow(/another key/);
    const both = new Envelope([NEW, OLD], 'token');
    expect(both.open(old, { aad: 'k' })).toBe('s3cr3t');
    expect(both.needsRotation(old)).toBe(true);
    const rotated = both.rotate(old, { aad: 'k' });
    expect(rotated.startsWith(`env1.${keyIdOf(NEW)}.`)).toBe(true);
    expect(both.needsRotation(rotated)).toBe(false);
    expect(both.rotate(rotated, { aad: 'k' })).toBe(rotated);
    // After rotation the old secret can be dropped.
    expect(new Envelope([NEW], 'token').open(rotated, { aad: 'k' })).toBe('s3cr3t');
  });

  it('opens legacy secret-box envelopes and rotates them', () => {
    const legacy = new SecretBox(OLD, 'webhook-secret').seal('whsec_x', 'key_1');
    const box = new Envelope([NEW, OLD], 'webhook-secret');
    expect(box.open(legacy, { aad: 'key_1' })).toBe('whsec_x');
    expect(() => box.open(legacy, { aad: 'key_2' })).toThrow(EnvelopeError);
    expect(box.open(box.rotate(legacy, { aad: 'key_1' }), { aad: 'key_1' })).toBe('whsec_x');
  });

  it('seals and opens files as streams; tampering and wrong aad leave no output', async () => {
    const box = new Envelope([NEW, OLD], 'sensitive-file');
    const plain = path.join(dir, 'in.bin');
    const bytes = randomBytes(300_000);
    writeFileSync(plain, bytes);
    const sealed = path.join(dir, 'sealed.bin');
    await box.sealFile(plain, sealed, { aad: 'file_1' });
    const enc = readFileSync(sealed);
    expect(enc.subarray(0, 4).toString('latin1')).toBe('CMXE');
    expect(enc.length).toBe(bytes.length + 5 + 4 + 12 + 16);
    expect(enc.includes(bytes.subarray(1000, 1032))).toBe(false);
    const out = path.join(dir, 'out.bin');
    await box.openFile(sealed, out, { aad: 'file_1' });
    expect(readFileSync(out).equals(bytes)).toBe(true);

    const out2 = path.join(dir, 'out2.bin');
    await expect(box.openFile(sealed, out2, { aad: 'file_2' })).rejects.toThrow(/authentication/);
    expect(existsSync(out2)).toBe(false);
    const tampered = path.join(dir, 'tampered.bin');
    const t = Buffer.from(enc);
    t[150_000]! ^= 0x80;
    writeFileSync(tampered, t);
    await expect(box.openFile(tampered, out2, { aad: 'file_1' })).rejects.toThrow(/authentication/);
    expect(existsSync(out2)).toBe(false);
    writeFileSync(tampered, enc.subarray(0, 30));
    await expect(box.openFile(tampered, out2, { aad: 'file_1' })).rejects.toThrow(EnvelopeError);

    // An empty file round-trips too; a file sealed under the previous secret still opens.
    writeFileSync(plain, Buffer.alloc(0));
    await new Envelope([OLD], 'sensitive-file').sealFile(plain, sealed, { aad: 'e' });
    await box.openFile(sealed, out, { aad: 'e' });
    expect(readFileSync(out).length).toBe(0);
  });
});

describe('secret rotation of stored webhook secrets', () => {
  it('re-seals api_keys.webhook_secret under the new CLIPMIX_SECRET; the webhook secret still opens', async () => {
    const first = await createTestApp({ env: { CLIPMIX_SECRET: OLD, CLIPMIX_ALLOW_LOOPBACK_URLS: '1' } });
    try {
      const s = await signUp(first);
      const userId = s.id;
      const created = await developer(first.ctx).keys.create({ userId, name: 'k', callbackUrl: 'http://127.0.0.1:9/hook' });
      const before = (await first.ctx.db.selectFrom('api_keys').select('webhook_secret').executeTakeFirstOrThrow()).webhook_secret!;
      expect(before.startsWith(`env1.${keyIdOf(OLD)}.`)).toBe(true);
      // Same database, new secret with the old one as previous.
      first.config.secret = NEW;
      first.config.previousSecrets = [OLD];
      const counts = await rotateSealedColumns(first.ctx, allModules);
      expect(counts['api_keys.webhook_secret']).toBe(1);
      const after = (await first.ctx.db.selectFrom('api_keys').select(['id', 'webhook_secret']).executeTakeFirstOrThrow());
      expect(after.webhook_secret!.startsWith(`env1.${keyIdOf(NEW)}.`)).toBe(true);
      expect(new Envelope([NEW], 'webhook-secret').open(after.webhook_secret!, { aad: after.id })).toBe(created.webhookSecret);
      expect((await rotateSealedColumns(first.ctx, allModules))['api_keys.webhook_secret']).toBe(0);
    } finally {
      await first.close();
    }
  });
});
