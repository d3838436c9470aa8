import crypto from 'node:crypto';
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createKey } from './helpers/keys.js';
import { sameCodeUnits } from '../src/modules/developer/auth.js';
import { signUp, type TestUser } from './helpers/session.js';

/** SECRET_LENGTH: the characters of a key's secret. */
const TOKEN_LENGTH = 44;

/**
 * The per-connection digest cache of API-key authentication (auth.ts), over a real keep-alive
 * connection: behind a reverse proxy one upstream connection carries many clients' keys, so the
 * token sent is compared with the one kept for the connection in constant time, and hashed only
 * when it differs.
 */
describe('API-key digest cache per connection', () => {
  let t: TestApp;
  let base: URL;
  let alice: TestUser;
  let bob: TestUser;
  let aliceKey: string;
  let bobKey: string;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

  beforeAll(async () => {
    t = await createTestApp();
    alice = await signUp(t, { name: 'Alice' });
    bob = await signUp(t, { name: 'Bob' });
    aliceKey = (await createKey(alice)).secret;
    bobKey = (await createKey(bob)).secret;
    await t.http.listen({ port: 0, host: '127.0.0.1' });
    base = new URL(`http://127.0.0.1:${(t.http.server.address() as AddressInfo).port}`);
  });
  afterAll(async () => {
    agent.destroy();
    await t?.close();
  });

  /** GET /api/v1/account with the key, on the agent's one connection. */
  const account = (secret: string) =>
    new Promise<{ status: number; body: any; reused: boolean }>((resolve, reject) => {
      const req = http.get(new URL('/api/v1/account', base), { agent, headers: { authorization: `Bearer ${secret}` } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(body), reused: req.reusedSocket }));
      });
      req.on('error', reject);
    });

  it('tells keys apart on one connection, hashing a token only when it differs from the kept one', async () => {
    // Named imports of node:crypto see a spy on its default export once the builtin's ESM
    // exports are synced (restored below).
    const original = crypto.hash;
    const spy = vi.spyOn(crypto, 'hash');
    syncBuiltinESMExports();
    try {
      /** How many API-key secrets were hashed (SHA-256 of a 44-character token). */
      const tokenHashes = () => spy.mock.calls.filter(([algorithm, data]) => algorithm === 'sha256' && typeof data === 'string' && data.length === TOKEN_LENGTH).length;

      expect((await account(aliceKey)).body.id).toBe(alice.id);
      spy.mockClear();
      const again = await account(aliceKey);
      expect(again).toMatchObject({ status: 200, reused: true });
      expect(again.body.id).toBe(alice.id);
      // The same token again on the connection: its kept digest, no hash.
      expect(tokenHashes()).toBe(0);

      // Another client's key through the same connection (a proxy): compared, found different, hashed.
      spy.mockClear();
      const viaProxy = await account(bobKey);
      expect(viaProxy).toMatchObject({ status: 200, reused: true });
      expect(viaProxy.body.id).toBe(bob.id);
      expect(tokenHashes()).toBeGreaterThan(0);

      // A token of the same length that differs from the kept one in its last character only.
      expect((await account(aliceKey)).body.id).toBe(alice.id);
      const last = aliceKey.length - 1;
      const nearMiss = aliceKey.slice(0, last) + (aliceKey[last] === 'a' ? 'b' : 'a');
      spy.mockClear();
      expect(await account(nearMiss)).toMatchObject({ status: 401, reused: true, body: { code: 'invalid_api_key' } });
      expect(tokenHashes()).toBeGreaterThan(0);
      spy.mockClear();
      const back = await account(aliceKey);
      expect(back).toMatchObject({ status: 200, reused: true });
      expect(back.body.id).toBe(alice.id);
      expect(tokenHashes()).toBe(1); // differs from the kept near miss: hashed (its key row is cached)
      spy.mockClear();
      expect((await account(aliceKey)).body.id).toBe(alice.id);
      expect(tokenHashes()).toBe(0);
    } finally {
      spy.mockRestore();
      crypto.hash = original;
      syncBuiltinESMExports();
    }
  });

  it('compares kept tokens without an early exit: every code unit of both is read', () => {
    const counting = (text: string) => {
      const reads = new Set<number>();
      const s = { length: text.length, charCodeAt: (i: number) => (reads.add(i), text.charCodeAt(i)) };
      return { s: s as unknown as string, reads };
    };
    for (const [x, y, equal] of [
      ['sk_live_aaaa', 'sk_live_aaaa', true],
      ['sk_live_aaaa', 'Xk_live_aaaa', false], // differs in the first unit
      ['sk_live_aaaa', 'sk_live_aaaX', false], // and in the last
    ] as const) {
      const a = counting(x);
      const b = counting(y);
      expect(sameCodeUnits(a.s, b.s)).toBe(equal);
      expect(a.reads.size).toBe(x.length);
      expect(b.reads.size).toBe(y.length);
    }
  });
});
