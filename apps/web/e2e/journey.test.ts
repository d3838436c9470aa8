/**
 * The first browser journey, like a person would do it: sign up → home → upload a song and a
 * photo (per-file progress) → watch "Preparing media" jobs finish live → library shows the
 * thumbnail and the waveform → switch to Spanish → open the dev mailbox → follow the
 * verification link → account verified → sign out and back in.
 * Screenshots of every page at desktop and phone size land in test-output/screenshots/.
 */
import { describe, expect, it } from 'vitest';
import { makeMedia, screenshots } from './harness';
import { clickNav, fillSignUp, JOB_STREAM_CLOSED, MEDIA_RANGE_CANCELLED, newUser, useSession } from './session';

const USER = newUser('Ada Lovelace', 'analytical-engine-1843');

const s = useSession({ expected: [JOB_STREAM_CLOSED, MEDIA_RANGE_CANCELLED], media: makeMedia });

describe('web journey', () => {
  it('sends a visitor to log in, then signs up', async () => {
    const { page } = s;
    await page.goto('/');
    await page.waitForURL(/\/login$/);
    await page.getByRole('heading', { name: 'Welcome back' }).waitFor();
    await screenshots(page, '01-login');

    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.waitForURL(/\/signup$/);
    await fillSignUp(page, USER);
    await screenshots(page, '02-signup');
    await page.getByRole('button', { name: 'Create account' }).click();

    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: 'Welcome, Ada' }).waitFor();
    await page.getByTestId('verify-banner').waitFor();
    await page.getByTestId('empty-uploads').waitFor();
    await screenshots(page, '03-home-empty');
  });

  it('uploads a song and a photo with per-file progress', async () => {
    const { page, watch, media } = s;
    await page.getByTestId('file-input').setInputFiles([media.audio, media.photo]);
    const rows = page.getByTestId('upload-row');
    await expect.poll(() => rows.count()).toBe(2);
    // Each file has its own labelled progress bar.
    await page.getByRole('progressbar', { name: 'Progress of a.mp3' }).waitFor();
    await page.getByRole('progressbar', { name: 'Progress of p.jpg' }).waitFor();
    await screenshots(page, '04-home-uploading');
    // Upload → "Preparing media" → ready, for both files.
    await expect
      .poll(async () => page.locator('[data-testid="upload-row"][data-state="ready"]').count(), { timeout: 60_000 })
      .toBe(2);
    for (const name of ['a.mp3', 'p.jpg']) {
      const bar = page.getByRole('progressbar', { name: `Progress of ${name}` });
      await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('100');
    }
    expect(watch.requests().filter((r) => r === 'POST /api/v1/files')).toHaveLength(2);
  });

  it('shows the "Preparing media" jobs succeed live on the jobs page', async () => {
    const { page } = s;
    await clickNav(page, 'Jobs');
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    const jobs = page.locator('[data-testid="job-row"][data-job-type="media.process"]');
    await expect.poll(() => jobs.count()).toBe(2);
    await expect
      .poll(() => page.locator('[data-testid="job-row"][data-job-type="media.process"][data-status="succeeded"]').count(), {
        timeout: 60_000,
      })
      .toBe(2);
    await page.getByText('Preparing media').first().waitFor();
    await screenshots(page, '05-jobs');

    await page.getByRole('link', { name: /Preparing media/ }).first().click();
    const detail = page.getByTestId('job-detail');
    await detail.waitFor();
    await expect.poll(() => detail.getAttribute('data-status')).toBe('succeeded');
    await screenshots(page, '06-job-detail');
  });

  it('shows the photo thumbnail and the audio waveform in the library', async () => {
    const { page } = s;
    await clickNav(page, 'Library');
    await page.getByRole('heading', { name: 'Library', level: 1 }).waitFor();
    await expect.poll(() => page.locator('[data-testid="file-card"][data-status="ready"]').count(), { timeout: 60_000 }).toBe(2);

    const thumb = page.locator('[data-testid="file-card"][data-kind="image"] img[data-testid="file-thumbnail"]');
    await thumb.waitFor();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);

    const canvas = page.locator('[data-testid="file-card"][data-kind="audio"] canvas[data-testid="waveform-canvas"]');
    await canvas.waitFor();
    await expect
      .poll(() =>
        canvas.evaluate((el: HTMLCanvasElement) => {
          const ctx = el.getContext('2d');
          if (!ctx || el.width === 0 || el.height === 0) return 0;
          const { data } = ctx.getImageData(0, 0, el.width, el.height);
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted += 1;
          return painted;
        }),
      )
      .toBeGreaterThan(100);
    await expect
      .poll(() => page.locator('[data-testid="file-card"][data-kind="audio"] [data-testid="duration-badge"]').innerText())
      .toMatch(/^0:0[2-4]$/);
    await screenshots(page, '07-library');

    // Kind filter.
    await page.getByTestId('kind-filter').getByText('Audio', { exact: true }).click();
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(1);
    await page.getByTestId('kind-filter').getByText('All', { exact: true }).click();
    await expect.poll(() => page.getByTestId('file-card').count()).toBe(2);

    // Detail views: the photo, then the song on its waveform player.
    await page.getByRole('button', { name: 'Open p.jpg' }).click();
    await page.getByTestId('file-detail').waitFor();
    await page.getByRole('link', { name: 'Download' }).waitFor();
    await screenshots(page, '08-file-image');
    await page.keyboard.press('Escape');
    await page.getByTestId('file-detail').waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Open a.mp3' }).click();
    const player = page.getByTestId('waveform-player');
    await player.waitFor();
    await expect
      .poll(() => player.evaluate((el) => el.querySelector('div')?.shadowRoot?.querySelectorAll('canvas').length ?? 0))
      .toBeGreaterThan(0);
    await screenshots(page, '09-file-audio');
    await page.keyboard.press('Escape');
    await page.getByTestId('file-detail').waitFor({ state: 'detached' });
  });

  it('switches the interface to Spanish', async () => {
    const { page, watch } = s;
    await clickNav(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await screenshots(page, '10-settings');
    await page.getByText('Español', { exact: true }).click();
    await page.getByRole('heading', { name: 'Ajustes', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Navegación principal' }).getByRole('link', { name: 'Biblioteca' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.cookie)).toContain('clipmix_lang=es');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('es');
    await expect.poll(() => watch.requests().includes('PATCH /api/v1/account')).toBe(true);
    await screenshots(page, '11-settings-es');
  });

  it('finds the verification email in the mailbox and verifies the account', async () => {
    const { page } = s;
    await clickNav(page, 'Buzón');
    await page.getByRole('heading', { name: 'Buzón', level: 1 }).waitFor();
    await page.getByTestId('mail-item').first().waitFor();
    await page.getByTestId('mail-view').waitFor();
    const link = page.getByTestId('mail-view').locator('a[data-testid="mail-link"][href*="/verify-email?token="]').first();
    await link.waitFor();
    await screenshots(page, '12-mailbox');

    await link.click();
    await page.waitForURL(/\/verify-email\?token=/);
    const result = page.getByTestId('verify-result');
    await expect.poll(() => result.getAttribute('data-status')).toBe('success');
    await page.getByText('Correo verificado').waitFor();
    await screenshots(page, '13-verified');

    await page.getByRole('link', { name: 'Continuar a ClipMix' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByRole('heading', { name: /Te damos la bienvenida, Ada/ }).waitFor();
    // Verified: no banner any more.
    await page.getByTestId('verify-banner').waitFor({ state: 'detached' });
    await screenshots(page, '14-home-es');
  });

  it('signs out and back in', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Menú de la cuenta' }).click();
    await page.getByRole('menuitem', { name: 'Cerrar sesión' }).click();
    await page.waitForURL(/\/login$/);
    await page.getByRole('textbox', { name: 'Correo electrónico', exact: true }).fill(USER.email);
    await page.getByRole('textbox', { name: 'Contraseña', exact: true }).fill(USER.password);
    await page.getByRole('button', { name: 'Iniciar sesión' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    await page.getByTestId('recent-uploads').waitFor();
  });

  it('had no console errors and no unexpected failed requests', () => {
    expect(s.watch.problems()).toEqual([]);
  });
});
