/**
 * The developer journey: sign up → Developers → create an API key and see its secret exactly once
 * → call the API with it → the call shows up in the request log → a test key with a callback URL
 * sends a signed test event (delivered, listed, replayed) → revoke the key → it stops working.
 * Screenshots (20-…) of each step at desktop and phone size land in test-output/screenshots/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshots } from './harness';
import { clickNav, newUser, signUp, useSession } from './session';

const USER = newUser('Grace Hopper', 'compiler-a0-1952');

const s = useSession({
  // Loopback callback URLs are refused unless the server is told otherwise (for this test only).
  serverEnv: { CLIPMIX_ALLOW_LOOPBACK_URLS: '1' },
  permissions: ['clipboard-read', 'clipboard-write'],
});

let receiver: http.Server;
let receiverUrl: string;
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
let secret = '';
let requestId = '';

async function openTab(name: string) {
  await s.page.getByRole('tab', { name }).click();
}

/** A local endpoint that accepts webhooks. */
beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/clipmix`;
});

afterAll(async () => {
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

describe('developers journey', () => {
  it('signs up and opens the Developers page from the rail', async () => {
    const { page } = s;
    await signUp(page, USER);

    await clickNav(page, 'Developers');
    await page.waitForURL(/\/developers$/);
    await page.getByRole('heading', { name: 'Developers', level: 1 }).waitFor();
    await page.getByTestId('empty-api-keys').waitFor();
    await screenshots(page, '20-developers-empty');
  });

  it('creates a key and shows its secret exactly once', async () => {
    const { page } = s;
    await page.getByTestId('empty-api-keys').getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.waitFor();
    // Every scope is checked by default.
    for (const scope of ['files:read', 'files:write', 'jobs:read', 'jobs:write', 'logs:read', 'account:read']) {
      await expect.poll(() => dialog.getByRole('checkbox', { name: new RegExp(`^${scope}`) }).isChecked()).toBe(true);
    }
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('CI server');
    await screenshots(page, '21-create-key');
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const reveal = page.getByTestId('secret-reveal');
    await reveal.waitFor();
    await expect.poll(async () => (await page.getByTestId('api-key-secret').innerText()).trim()).toMatch(/^sk_live_[A-Za-z0-9_-]{20,}$/);
    secret = (await page.getByTestId('api-key-secret').innerText()).trim();
    // A live key without a callback URL has no webhook secret.
    await expect.poll(() => page.getByTestId('webhook-secret').count()).toBe(0);
    await page.getByText("Copy it now — you won't see this again").waitFor();
    await screenshots(page, '22-key-secret');

    await reveal.getByRole('button', { name: 'Copy secret key' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    await reveal.getByRole('button', { name: "I've saved it" }).click();
    await reveal.waitFor({ state: 'detached' });
    await expect.poll(() => page.content()).not.toContain(secret);

    const key = page.getByTestId('api-key');
    await expect.poll(() => key.count()).toBe(1);
    await key.getByText(`${secret.slice(0, 12)}…`).waitFor();
    await key.getByText('jobs:write').waitFor();
  });

  it('logs a request made with the key', async () => {
    const { page, server } = s;
    const res = await fetch(`${server.url}/api/v1/jobs`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(200);
    requestId = res.headers.get('request-id') ?? '';
    expect(requestId).not.toBe('');

    await openTab('Request log');
    await page.waitForURL(/tab=logs/);
    const row = page.locator(`[data-testid="request-log-row"][data-request-id="${requestId}"]`);
    await expect
      .poll(
        async () => {
          if ((await row.count()) === 0) await page.getByRole('button', { name: 'Refresh request log' }).click();
          return row.count();
        },
        { timeout: 30_000, interval: 750 },
      )
      .toBe(1);
    await expect.poll(() => row.getAttribute('data-method')).toBe('GET');
    await expect.poll(() => row.getAttribute('data-status')).toBe('200');
    await row.getByText('/api/v1/jobs').waitFor();
    await row.getByText('CI server').waitFor();
    await screenshots(page, '23-request-log');

    // Filtering by status hides it.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: '404', exact: true }).click();
    await page.getByText('No requests match').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row.waitFor();
  });

  it('sends a signed test event to a callback URL and replays it', async () => {
    const { page } = s;
    await openTab('API keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Webhook receiver');
    await dialog.getByRole('switch', { name: /Test key/ }).check();
    await dialog.getByRole('textbox', { name: /^Callback URL/ }).fill(receiverUrl);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('secret-reveal').waitFor();
    await expect.poll(() => page.getByTestId('api-key-secret').innerText()).toMatch(/^sk_test_/);
    await expect.poll(() => page.getByTestId('webhook-secret').innerText()).toMatch(/^whsec_/);
    await page.getByRole('button', { name: "I've saved it" }).click();
    await page.getByTestId('secret-reveal').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Send a test event for Webhook receiver' }).click();
    await page.getByText('Test event delivered').waitFor();
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(received[0]!.body).type).toBe('test.ping');
    await screenshots(page, '24-developers-keys');

    await openTab('Webhooks');
    const delivery = page.getByTestId('webhook-delivery');
    await expect.poll(() => delivery.count()).toBe(1);
    await expect.poll(() => delivery.first().getAttribute('data-status')).toBe('succeeded');
    await delivery.first().getByRole('button', { name: 'Show payload and attempts' }).click();
    await expect.poll(() => page.getByTestId('delivery-payload').innerText()).toContain('test.ping');
    await screenshots(page, '25-webhook-deliveries');

    await delivery.first().getByRole('button', { name: 'Replay' }).click();
    await page.getByText(/Event sent again/).waitFor();
    await expect.poll(() => delivery.count()).toBe(2);
    await expect.poll(() => received.length).toBe(2);
    expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
  });

  it('shows the quick start with copyable examples', async () => {
    const { page, server } = s;
    await openTab('Quick start');
    await page.getByRole('link', { name: 'OpenAPI JSON' }).waitFor();
    await expect.poll(() => page.getByTestId('snippet-upload').innerText()).toContain(`${server.url}/api/v1/files`);
    await expect.poll(() => page.getByTestId('snippet-webhook').innerText()).toContain("from 'standardwebhooks'");
    const sdk = await page.getByTestId('snippet-sdk').innerText();
    expect(sdk).toContain("from '@clipmix/sdk'");
    expect(sdk).toContain(`process.env.CLIPMIX_URL ?? '${server.url}'`);
    expect(sdk).toContain('await createMusicVideo(');
    await screenshots(page, '26-quick-start');
  });

  it('revokes the key, which then stops working', async () => {
    const { page, server } = s;
    await openTab('API keys');
    await page.getByRole('button', { name: 'Revoke CI server' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    await page.locator('[data-testid="api-key"][data-revoked]').getByTestId('key-revoked').waitFor();
    await page.getByRole('button', { name: 'Revoke CI server' }).waitFor({ state: 'detached' });
    const res = await fetch(`${server.url}/api/v1/jobs`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(401);
    await screenshots(page, '27-key-revoked');
  });

  it('had no console errors and no unexpected failed requests', () => {
    expect(s.watch.problems()).toEqual([]);
  });
});
