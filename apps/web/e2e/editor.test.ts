/**
 * The video editor, like a person uses it: sign up → Edit video → upload a 4 s clip → trim it to
 * 0.5–3 s → add a text overlay and drag it into place → pick the black & white look → undo/redo →
 * export → watch the job succeed → play the result, which is as long as the trim.
 */
import path from 'node:path';
import { testing } from '@clipmix/engine';
import { describe, expect, it } from 'vitest';
import { screenshots } from './harness';
import { JOB_STREAM_CLOSED, MEDIA_RANGE_CANCELLED, newUser, signUp, useSession, waitForJobSuccess } from './session';

const USER = newUser('Grace Hopper', 'compiler-a-0-1952');
/** The export takes a few seconds on an idle 2-core machine; CI machines are loaded several times over. */
const EXPORT_WAIT_MS = 120_000;

const s = useSession({
  expected: [JOB_STREAM_CLOSED, MEDIA_RANGE_CANCELLED],
  media: async (dir) => ({
    clip: await testing.makeVideo({ path: path.join(dir, 'clip.mp4'), seconds: 4, width: 640, height: 360, withAudio: true }),
  }),
  timeout: 30_000,
});

const lengthBadge = () => s.page.getByTestId('output-length').textContent();

describe('video editor', () => {
  it('edits an uploaded clip and exports it as a job', async () => {
    const { page, watch, media } = s;
    await signUp(page, USER);

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Edit video' }).click();
    await page.waitForURL(/\/create\/edit$/);
    await page.getByRole('heading', { name: 'Edit video', level: 1 }).waitFor();
    await screenshots(page, 'editor-01-pick');

    // Uploading a clip opens it in the editor.
    await page.getByTestId('file-input').setInputFiles(media.clip);
    await page.waitForURL(/\/create\/edit\?file=file_/);
    await page.getByTestId('editor').waitFor();
    await expect.poll(async () => Number((await page.getByTestId('thumbnail-strip').getAttribute('data-frames')) ?? 0), { timeout: 60_000 }).toBe(8);
    await expect.poll(lengthBadge).toBe('Length 0:04.0');

    // Trim to 0.5–3 s with the exact fields; undo and redo it with the keyboard.
    await page.getByRole('tab', { name: 'Trim, crop & speed' }).click();
    await page.getByRole('textbox', { name: 'Start' }).fill('0.5');
    await page.getByRole('textbox', { name: 'End' }).fill('3');
    await page.getByRole('textbox', { name: 'End' }).blur();
    await expect.poll(lengthBadge).toBe('Length 0:02.5');
    await page.getByTestId('editor-stage').click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('Control+z');
    await expect.poll(lengthBadge).not.toBe('Length 0:02.5');
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(lengthBadge).toBe('Length 0:02.5');
    await expect.poll(() => page.getByTestId('trim-start').getAttribute('aria-valuenow')).toBe('0.5');

    // A text overlay, dragged on the preview.
    await page.getByRole('tab', { name: 'Text' }).click();
    await page.getByRole('button', { name: 'Add text' }).click();
    await page.getByRole('textbox', { name: 'Text' }).fill('Hello ClipMix');
    const text = page.getByTestId('stage-text');
    await text.waitFor();
    const stage = (await page.getByTestId('editor-stage').boundingBox())!;
    const before = (await text.boundingBox())!;
    await page.mouse.move(before.x + 10, before.y + 10);
    await page.mouse.down();
    await page.mouse.move(stage.x + stage.width * 0.3, stage.y + stage.height * 0.2, { steps: 5 });
    await page.mouse.up();
    await expect.poll(async () => (await text.boundingBox())!.y).toBeLessThan(before.y - stage.height * 0.3);

    // The black & white look from the gallery (live thumbnails).
    await page.getByRole('tab', { name: 'Filters' }).click();
    const bw = page.locator('[data-testid="filter-tile"][data-filter="bw"]');
    await bw.locator('img').waitFor();
    await bw.click();
    await expect.poll(() => bw.getAttribute('aria-pressed')).toBe('true');

    // Paused: the server's exact frame shows the edit.
    await page.getByTestId('exact-frame').waitFor();
    await screenshots(page, 'editor-02-editing');

    await page.getByRole('button', { name: 'Export' }).click();
    await waitForJobSuccess(page, EXPORT_WAIT_MS);
    const [request] = watch.requests().filter((r) => r === 'POST /api/v1/edits');
    expect(request).toBeDefined();

    // Play the result: as long as the trim.
    const video = page.getByTestId('edit-result-video');
    await video.waitFor();
    const duration = await video.evaluate(
      (el: HTMLVideoElement) =>
        new Promise<number>((resolve) => {
          if (el.readyState >= 1) resolve(el.duration);
          else el.addEventListener('loadedmetadata', () => resolve(el.duration), { once: true });
        }),
    );
    expect(Math.abs(duration - 2.5)).toBeLessThan(0.15);
    await video.evaluate(async (el: HTMLVideoElement) => {
      el.muted = true;
      await el.play();
    });
    await expect.poll(() => video.evaluate((el: HTMLVideoElement) => el.currentTime)).toBeGreaterThan(0.2);
    await page.getByRole('link', { name: 'Open in editor' }).waitFor();
    await screenshots(page, 'editor-03-result');

    expect(watch.problems()).toEqual([]);
  });
});
