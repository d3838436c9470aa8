import crypto from 'node:crypto';
import http from 'node:http';
import { syncBuiltinESMExports } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createKey } from './helpers/keys.js';
import { signUp, type TestUser } from './helpers/session.js';

/** Bytes of a kept token: SECRET_LENGTH (44) UTF-16 code units. */
const TOKEN_BYTES = 88;

/**
 * The per-connection digest cache of API-key authentication (auth.ts), over a real keep-alive
 * connection: behind a reverse proxy one upstream connection carries many clients' keys, so the
 * token sent is compared with the one kept for the connection in constant time.
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

  it('tells keys apart on one connection, comparing the kept token in constant time', async () => {
    // Named imports of node:crypto see a spy on its default export once the builtin's ESM
    // exports are synced (restored below).
    const original = crypto.timingSafeEqual;
    const spy = vi.spyOn(crypto, 'timingSafeEqual');
    syncBuiltinESMExports();
    try {
      /** The results of the calls that compared two tokens' bytes. */
      const tokenComparisons = () =>
        spy.mock.calls.flatMap(([a, b], i) =>
          (a as Buffer).length === TOKEN_BYTES && (b as Buffer).length === TOKEN_BYTES ? [spy.mock.results[i]!.value as boolean] : [],
        );

      expect((await account(aliceKey)).body.id).toBe(alice.id);
      spy.mockClear();
      const again = await account(aliceKey);
      expect(again).toMatchObject({ status: 200, reused: true });
      expect(again.body.id).toBe(alice.id);
      // The cached digest was used after a constant-time comparison of the token's bytes.
      expect(tokenComparisons()).toEqual([true]);

      // Another client's key through the same connection (a proxy): compared, found different.
      spy.mockClear();
      const viaProxy = await account(bobKey);
      expect(viaProxy).toMatchObject({ status: 200, reused: true });
      expect(viaProxy.body.id).toBe(bob.id);
      expect(tokenComparisons()).toEqual([false]);

      // A token of the same length that differs from the kept one in its last character only.
      expect((await account(aliceKey)).body.id).toBe(alice.id);
      const last = aliceKey.length - 1;
      const nearMiss = aliceKey.slice(0, last) + (aliceKey[last] === 'a' ? 'b' : 'a');
      expect(await account(nearMiss)).toMatchObject({ status: 401, reused: true, body: { code: 'invalid_api_key' } });
      const back = await account(aliceKey);
      expect(back).toMatchObject({ status: 200, reused: true });
      expect(back.body.id).toBe(alice.id);
    } finally {
      spy.mockRestore();
      crypto.timingSafeEqual = original;
      syncBuiltinESMExports();
    }
  });
});
