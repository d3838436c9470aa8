/**
 * Privacy journey: the cookie banner shows and nothing analytic is sent before consent → accept →
 * page views are recorded (read back from the account export) → Settings → Privacy: objection,
 * privacy log, export job → the ZIP downloads → the public privacy page → delete the account with
 * the password → signed out, and the old credentials no longer sign in.
 * Screenshots (privacy-0…) at desktop and phone size land in test-output/screenshots/.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { screenshots } from './harness';
import { clickNav, fillSignUp, newUser, settled, useSession } from './session';

const run = promisify(execFile);

const USER = newUser('Rosalind Franklin', 'photo-51-helix-1952');

const s = useSession({
  expected: [
    { method: 'GET', path: /^\/api\/v1\/auth\/session$/, status: 401, why: 'after deletion the session is gone' },
    { method: 'POST', path: /^\/api\/v1\/auth\/login$/, status: 401, why: 'signing in with the credentials of the deleted account must fail' },
    { method: 'GET', path: /^\/api\/v1\/auth\/session$/, status: 'aborted', why: 'page.goto leaves a page while it still asks for the session' },
    { method: 'GET', path: /^\/favicon\.svg$/, status: 'aborted', why: 'page.goto leaves a page while it still loads its icon' },
  ],
});

const analyticsCalls = () => s.watch.requests().filter((r) => r.includes('/analytics/'));

describe('privacy journey', () => {
  it('shows the cookie banner and sends nothing analytic before consent', async () => {
    const { page, watch } = s;
    await page.goto('/signup');
    const banner = page.getByRole('region', { name: 'Cookie consent' });
    await banner.waitFor();
    await screenshots(page, 'privacy-01-cookie-banner');

    await fillSignUp(page, USER);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    // Still unanswered: the signed-in shell asks too, and nothing was sent while browsing.
    await banner.waitFor();
    await page.getByTestId('empty-uploads').waitFor();
    await settled(watch);
    await page.goto('/library');
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    await settled(watch);
    await page.goto('/jobs');
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await banner.waitFor();
    expect(analyticsCalls()).toEqual([]);
    await expect(page.evaluate(() => [localStorage.getItem('clipmix_consent'), sessionStorage.getItem('clipmix_session')])).resolves.toEqual([null, null]);
  });

  it('records page views once accepted, with the session trail in sessionStorage', async () => {
    const { page } = s;
    const banner = page.getByRole('region', { name: 'Cookie consent' });
    const batch = page.waitForResponse((r) => r.url().endsWith('/api/v1/analytics/events') && r.request().method() === 'POST');
    await banner.getByRole('button', { name: 'Accept analytics' }).click();
    await banner.waitFor({ state: 'detached' });
    await clickNav(page, 'Settings');
    await page.waitForURL(/\/settings$/);
    const res = await batch;
    expect(res.status()).toBe(202);
    const sent = res.request().postDataJSON() as { events: Array<{ path: string; type: string; screen: string; language: string }> };
    expect(sent.events.map((e) => e.path)).toEqual(expect.arrayContaining(['/jobs']));
    expect(sent.events[0]).toMatchObject({ type: 'page_view', screen: '1440x900', language: 'en-US' });
    const trail = () => page.evaluate(() => JSON.parse(sessionStorage.getItem('clipmix_session') ?? 'null') as { pages: Array<{ path: string }> } | null);
    await expect.poll(async () => (await trail())?.pages.map((p) => p.path)).toEqual(expect.arrayContaining(['/jobs', '/settings']));
  });

  it('Settings → Privacy: consent on, one-click objection, the privacy log', async () => {
    const { page } = s;
    const section = page.locator('#privacy');
    await section.scrollIntoViewIfNeeded();
    await expect.poll(() => section.getByRole('switch', { name: /First-party analytics/ }).isChecked()).toBe(true);
    await section.getByRole('button', { name: 'Object now' }).click();
    await section.getByText('You object: no hashed email is shared.').waitFor();
    const log = section.getByTestId('privacy-log');
    await log.getByText('Objected to hashed-email sharing').waitFor();
    await log.getByText('Analytics consent: on').waitFor();
    await screenshots(page, 'privacy-02-settings');
  });

  it('exports the data: progress, then the ZIP downloads', async () => {
    const { page, dir } = s;
    const section = page.locator('#privacy');
    await section.getByRole('button', { name: 'Export my data' }).click();
    const link = section.getByTestId('export-download');
    await link.waitFor({ timeout: 60_000 });
    await screenshots(page, 'privacy-03-export-ready');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    expect(download.suggestedFilename()).toMatch(/^clipmix-export-\d{4}-\d{2}-\d{2}\.zip$/);
    const zipPath = path.join(dir, 'export.zip');
    await download.saveAs(zipPath);
    const listing = (await run('unzip', ['-Z1', zipPath])).stdout.split('\n');
    expect(listing).toEqual(expect.arrayContaining(['manifest.json', 'accounts.json', 'analytics.json', 'privacy.json']));
    // The page views recorded after consent are in the user's data.
    const analytics = JSON.parse((await run('unzip', ['-p', zipPath, 'analytics.json'])).stdout);
    const paths = analytics.tables.analytics_events.rows.map((r: { path: string }) => r.path);
    expect(paths).toEqual(expect.arrayContaining(['/jobs']));
    await section.getByTestId('privacy-log').getByText('Export requested').waitFor();
  });

  it('the public privacy page shows this server’s configuration', async () => {
    const { page, watch } = s;
    await settled(watch);
    await page.goto('/privacy');
    await page.getByRole('heading', { name: 'Privacy', level: 1 }).waitFor();
    const table = page.getByTestId('privacy-integrations');
    await table.getByText('SQLite on this server').waitFor();
    await table.getByText('not enabled').waitFor();
    await page.getByText(/API request logs are deleted after 90 days/).first().waitFor();
    await screenshots(page, 'privacy-04-public-page');
  });

  it('deletes the account with the password; signed out and the login fails', async () => {
    const { page, watch } = s;
    await settled(watch);
    await page.goto('/settings#privacy');
    const section = page.locator('#privacy');
    await section.getByText(/Content you already published on third-party platforms/).waitFor();
    await section.getByLabel('Your password').fill(USER.password);
    await section.getByRole('button', { name: 'Delete my account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete your account for good?' });
    await dialog.waitFor();
    await screenshots(page, 'privacy-05-delete-confirm');
    await dialog.getByRole('button', { name: 'Delete permanently' }).click();
    await page.waitForURL(/\/login$/);

    await page.getByRole('textbox', { name: 'Email', exact: true }).fill(USER.email);
    await page.getByRole('textbox', { name: 'Password', exact: true }).fill(USER.password);
    const login = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByRole('button', { name: /^Log in$/ }).click();
    expect((await login).status()).toBe(401);
    await page.getByText("That email and password don't match").waitFor();
    const session = await page.evaluate(() => fetch('/api/v1/auth/session').then((r) => r.status));
    expect(session).toBe(401);
    // This browser's consent went with the account: the banner asks again.
    await page.getByRole('region', { name: 'Cookie consent' }).waitFor();
    await screenshots(page, 'privacy-06-deleted-login');
  });

  it('had no console errors or unexpected failed requests', () => {
    expect(s.watch.problems()).toEqual([]);
  });
});
