/**
 * The developer journey: sign up → Developers → create an API key and see its secret exactly once
 * → call the API with it → the call shows up in the request log → a test key with a callback URL
 * sends a signed test event (delivered, listed, replayed) → revoke the key → it stops working.
 * Screenshots (20-…) of each step at desktop and phone size land in test-output/screenshots/.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureWebBuild,
  launchBrowser,
  newDesktopContext,
  screenshots,
  startServer,
  watchPage,
  type ExpectedFailure,
  type PageWatch,
  type RunningServer,
} from './harness';

/** The only failures this journey accepts, each with its reason. */
const EXPECTED: ExpectedFailure[] = [
  { method: 'GET', path: /^\/api\/v1\/auth\/session$/, status: 401, why: 'the app asks who is signed in before sign-up' },
];

const USER = { name: 'Grace Hopper', email: `grace+${Date.now()}@example.com`, password: 'compiler-a0-1952' };

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watch: PageWatch;
let receiver: http.Server;
let receiverUrl: string;
const received: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
let secret = '';
let requestId = '';

async function clickNav(name: RegExp) {
  await page.getByRole('navigation', { name: /main navigation/i }).getByRole('link', { name }).click();
}

async function openTab(name: string) {
  await page.getByRole('tab', { name }).click();
}

/** A local endpoint that accepts webhooks (loopback callbacks are allowed for this server only). */
async function startReceiver(): Promise<void> {
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
}

beforeAll(async () => {
  process.env.CLIPMIX_ALLOW_LOOPBACK_URLS = '1';
  await Promise.all([ensureWebBuild(), startReceiver()]);
  server = await startServer();
  browser = await launchBrowser();
  context = await newDesktopContext(browser, server.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  watch = watchPage(page, EXPECTED);
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

describe('developers journey', () => {
  it('signs up and opens the Developers page from the rail', async () => {
    await page.goto('/signup');
    await page.getByRole('textbox', { name: 'Name', exact: true }).fill(USER.name);
    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(USER.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(USER.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/');

    await clickNav(/^Developers$/);
    await page.waitForURL(/\/developers$/);
    await page.getByRole('heading', { name: 'Developers', level: 1 }).waitFor();
    await page.getByTestId('empty-api-keys').waitFor();
    await screenshots(page, '20-developers-empty');
  });

  it('creates a key and shows its secret exactly once', async () => {
    await page.getByTestId('empty-api-keys').getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.waitFor();
    // Every scope is checked by default.
    for (const scope of ['files:read', 'files:write', 'jobs:read', 'jobs:write', 'logs:read', 'account:read']) {
      await expect(dialog.getByRole('checkbox', { name: new RegExp(`^${scope}`) }).isChecked()).resolves.toBe(true);
    }
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('CI server');
    await screenshots(page, '21-create-key');
    await dialog.getByRole('button', { name: 'Create key' }).click();

    const reveal = page.getByTestId('secret-reveal');
    await reveal.waitFor();
    secret = (await page.getByTestId('api-key-secret').innerText()).trim();
    expect(secret).toMatch(/^sk_live_[A-Za-z0-9_-]{20,}$/);
    await expect(page.getByTestId('webhook-secret').count()).resolves.toBe(0);
    await page.getByText("Copy it now — you won't see this again").waitFor();
    await screenshots(page, '22-key-secret');

    await reveal.getByRole('button', { name: 'Copy secret key' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(secret);

    await reveal.getByRole('button', { name: "I've saved it" }).click();
    await reveal.waitFor({ state: 'detached' });
    await expect(page.content()).resolves.not.toContain(secret);

    const key = page.getByTestId('api-key');
    await expect.poll(() => key.count()).toBe(1);
    await expect(key.getByText(`${secret.slice(0, 12)}…`).isVisible()).resolves.toBe(true);
    await expect(key.getByText('jobs:write').isVisible()).resolves.toBe(true);
  });

  it('logs a request made with the key', async () => {
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
        { timeout: 15_000, interval: 750 },
      )
      .toBe(1);
    await expect(row.getAttribute('data-method')).resolves.toBe('GET');
    await expect(row.getAttribute('data-status')).resolves.toBe('200');
    await expect(row.getByText('/api/v1/jobs').isVisible()).resolves.toBe(true);
    await expect(row.getByText('CI server').isVisible()).resolves.toBe(true);
    await screenshots(page, '23-request-log');

    // Filtering by status hides it.
    await page.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: '404', exact: true }).click();
    await page.getByText('No requests match').waitFor();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await row.waitFor();
  });

  it('sends a signed test event to a callback URL and replays it', async () => {
    await openTab('API keys');
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Create an API key' });
    await dialog.getByRole('textbox', { name: /^Name/ }).fill('Webhook receiver');
    await dialog.getByRole('switch', { name: /Test key/ }).check();
    await dialog.getByRole('textbox', { name: /^Callback URL/ }).fill(receiverUrl);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    await page.getByTestId('secret-reveal').waitFor();
    await expect(page.getByTestId('api-key-secret').innerText()).resolves.toMatch(/^sk_test_/);
    await expect(page.getByTestId('webhook-secret').innerText()).resolves.toMatch(/^whsec_/);
    await page.getByRole('button', { name: "I've saved it" }).click();
    await page.getByTestId('secret-reveal').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Send a test event for Webhook receiver' }).click();
    await page.getByText('Test event delivered').waitFor();
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(received[0]!.body).type).toBe('test.ping');
    await screenshots(page, '24-developers-keys');

    await openTab('Webhooks');
    const delivery = page.getByTestId('webhook-delivery');
    await expect.poll(() => delivery.count()).toBe(1);
    await expect(delivery.first().getAttribute('data-status')).resolves.toBe('succeeded');
    await delivery.first().getByRole('button', { name: 'Show payload and attempts' }).click();
    await expect(page.getByTestId('delivery-payload').innerText()).resolves.toContain('test.ping');
    await screenshots(page, '25-webhook-deliveries');

    await delivery.first().getByRole('button', { name: 'Replay' }).click();
    await page.getByText(/Event sent again/).waitFor();
    await expect.poll(() => delivery.count()).toBe(2);
    expect(received).toHaveLength(2);
    expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
  });

  it('shows the quick start with copyable examples', async () => {
    await openTab('Quick start');
    await page.getByRole('link', { name: 'OpenAPI JSON' }).waitFor();
    await expect(page.getByTestId('snippet-upload').innerText()).resolves.toContain(`${server.url}/api/v1/files`);
    await expect(page.getByTestId('snippet-webhook').innerText()).resolves.toContain("from 'standardwebhooks'");
    await screenshots(page, '26-quick-start');
  });

  it('revokes the key, which then stops working', async () => {
    await openTab('API keys');
    await page.getByRole('button', { name: 'Revoke CI server' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Revoke' }).click();
    await page.locator('[data-testid="api-key"][data-revoked]').getByTestId('key-revoked').waitFor();
    await expect(page.getByRole('button', { name: 'Revoke CI server' }).count()).resolves.toBe(0);
    const res = await fetch(`${server.url}/api/v1/jobs`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(401);
    await screenshots(page, '27-key-revoked');
  });

  it('had no console errors and no unexpected failed requests', () => {
    expect(watch.problems()).toEqual([]);
  });
});
