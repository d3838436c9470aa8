import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LookupFunction } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAddressAllowed } from '../src/platform/outbound/address-policy.js';
import { OutboundBlockedError, SafeHttpClient, checkOutboundUrl } from '../src/platform/outbound/safe-fetch.js';

let server: http.Server;
let port: number;
let hits = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits++;
    if (req.url === '/redirect') {
      res.writeHead(302, { location: 'http://127.0.0.1/elsewhere' }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end('hello');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function blockedCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'not blocked';
  } catch (e) {
    return e instanceof OutboundBlockedError ? e.code : `other: ${(e as Error).message}`;
  }
}

describe('address policy', () => {
  it.each([
    ['8.8.8.8', true],
    ['2606:4700:4700::1111', true],
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['172.16.0.1', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['0.0.0.0', false],
    ['::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['fd00::1', false],
    ['fe80::1', false],
    ['2002:7f00:1::', false],
    ['224.0.0.1', false],
    ['255.255.255.255', false],
    // Unspecified: all of 0.0.0.0/8, and ::.
    ['0.1.2.3', false],
    ['::', false],
    // IPv4-compatible IPv6 (::/96, deprecated): ipaddr.js calls these plain unicast.
    ['::7f00:1', false],
    ['::a00:1', false],
    ['::a9fe:a9fe', false],
    ['::808:808', false],
    // IPv4-mapped and IPv4-translated (SIIT).
    ['::ffff:0.0.0.0', false],
    ['::ffff:169.254.169.254', false],
    ['::ffff:0:7f00:1', false],
    ['::ffff:0:a00:1', false],
    // NAT64 (well-known and local-use prefixes), 6to4 and Teredo with private IPv4 inside.
    ['64:ff9b::7f00:1', false],
    ['64:ff9b::a00:1', false],
    ['64:ff9b::a9fe:a9fe', false],
    ['64:ff9b:1::a00:1', false],
    ['2002:a00:1::1', false],
    ['2002:c0a8:101::', false],
    ['2002:a9fe:a9fe::1', false],
    ['2001:0:4136:e378:8000:63bf:f5ff:fffe', false],
    // Outside global unicast 2000::/3 (special-purpose or unassigned).
    ['100::1', false],
    ['4000::1', false],
    ['fec0::1', false],
    ['2001:db8::1', false],
    ['2a00:1450:4001:82b::200e', true],
  ])('%s allowed=%s', (addr, allowed) => {
    expect(isAddressAllowed(addr, false)).toBe(allowed);
  });

  it('allows loopback only when asked to', () => {
    expect(isAddressAllowed('127.0.0.1', true)).toBe(true);
    expect(isAddressAllowed('::1', true)).toBe(true);
    expect(isAddressAllowed('10.0.0.1', true)).toBe(false);
    // Loopback embedded in IPv6 is never "loopback allowed".
    for (const addr of ['::7f00:1', '::ffff:0:7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::']) {
      expect(isAddressAllowed(addr, true), addr).toBe(false);
    }
  });
});

describe('URL checks before connecting', () => {
  it.each([
    'https://127.0.0.1/',
    'https://2130706433/',
    'https://0x7f000001/',
    'https://0x7f.1/',
    'https://017700000001/',
    'https://127.1/',
    'https://[::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:7f00:1]/',
    'https://[::127.0.0.1]/',
    'https://[::7f00:1]/',
    'https://[::10.0.0.1]/',
    'https://[::169.254.169.254]/',
    'https://[::ffff:0:127.0.0.1]/',
    'https://[64:ff9b::127.0.0.1]/',
    'https://[64:ff9b::10.0.0.1]/',
    'https://[2002:7f00:1::]/',
    'https://[2002:a00:1::]/',
    'https://[::]/',
    'https://0.0.0.0/',
    'https://0/',
    'https://0.1.2.3/',
    'https://169.254.169.254/latest/meta-data/',
    'https://10.0.0.1/',
  ])('refuses odd spellings of private addresses: %s', (url) => {
    expect(() => checkOutboundUrl(url, false)).toThrow(OutboundBlockedError);
    expect(() => checkOutboundUrl(url, false)).toThrow(/private, loopback or reserved/);
  });

  it('allows public IP literals', () => {
    expect(checkOutboundUrl('https://8.8.8.8/', false).hostname).toBe('8.8.8.8');
    expect(checkOutboundUrl('https://[2606:4700:4700::1111]/', false).hostname).toBe('[2606:4700:4700::1111]');
  });

  it('refuses plain http, credentials and junk', () => {
    expect(() => checkOutboundUrl('http://example.com/', false)).toThrow(/https/);
    expect(() => checkOutboundUrl('https://user:pw@example.com/', false)).toThrow(/credentials/);
    expect(() => checkOutboundUrl('not a url', false)).toThrow(/not valid/);
    expect(() => checkOutboundUrl('file:///etc/passwd', true)).toThrow(/https/);
    expect(() => checkOutboundUrl('http://example.com/', true)).toThrow(/https/);
  });
});

describe('SafeHttpClient against a real local server', () => {
  it('refuses loopback by default without sending a request', async () => {
    const before = hits;
    const client = new SafeHttpClient({ allowLoopback: false });
    expect(await blockedCode(client.request(`http://127.0.0.1:${port}/`))).toBe('scheme_not_allowed');
    expect(await blockedCode(client.request(`https://localhost:${port}/`))).toBe('address_not_allowed');
    expect(hits).toBe(before);
    await client.close();
  });

  it('reaches loopback over http when allowed, and never follows redirects', async () => {
    const client = new SafeHttpClient({ allowLoopback: true });
    const res = await client.request(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello');
    expect(await blockedCode(client.request(`http://127.0.0.1:${port}/redirect`))).toBe('redirect_refused');
    await client.close();
  });

  it('checks the resolved and connected address (DNS rebinding)', async () => {
    const before = hits;
    // A public-looking name whose resolver answers with loopback, as a rebinding attacker would.
    const rebinding: LookupFunction = (_host, opts, cb) => {
      if ((opts as { all?: boolean }).all) (cb as any)(null, [{ address: '127.0.0.1', family: 4 }]);
      else cb(null, '127.0.0.1', 4);
    };
    const client = new SafeHttpClient({ allowLoopback: false, lookup: rebinding });
    expect(await blockedCode(client.request(`https://rebind.example.com:${port}/`))).toBe('address_not_allowed');
    expect(hits).toBe(before);
    await client.close();
  });

  it('caps response bodies', async () => {
    const client = new SafeHttpClient({ allowLoopback: true });
    expect(await blockedCode(client.request(`http://127.0.0.1:${port}/`, { maxBytes: 2 }))).toBe('response_too_large');
    await client.close();
  });
});
