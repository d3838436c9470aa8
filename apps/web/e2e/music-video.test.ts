/**
 * The flagship journey in the browser: sign up → Create → Music video → drop a song and three
 * photos (each with its own progress) → reorder photos by keyboard and by dragging with the mouse
 * → style previews of the first photo load (and follow the aspect) → pick a style, import LRC
 * lyrics from a file → create → live progress → the result: the player plays a video as long as
 * the song, the tempo, the song map with sections and cuts, a download of the video, and a
 * timeline with the photos in the chosen order and the captions at the file's times. Then a second
 * video from the same song (preloaded by URL) with SRT lyrics imported from a file.
 * Screenshots at desktop and phone size.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { testing } from '@clipmix/engine';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshots } from './harness';
import { JOB_STREAM_CLOSED, MEDIA_RANGE_CANCELLED, newUser, signUp, useSession, waitForJobSuccess } from './session';

const SONG_SECONDS = 8;
const BPM = 120;
/** A render takes about 10 s on an idle 2-core machine; CI machines are loaded several times over. */
const RENDER_WAIT_MS = 120_000;
const USER = newUser('Grace Hopper', 'cobol-compiler-1959');

const LRC = '[ti:Count It In]\n[00:00.50]Counting every beat\n[00:03.00]Cutting on the one\n[00:05.50]Till the song is done\n';
const LRC_LINES = [
  { start: 0.5, text: 'Counting every beat' },
  { start: 3, text: 'Cutting on the one' },
  { start: 5.5, text: 'Till the song is done' },
];
const SRT = '1\n00:00:01,000 --> 00:00:02,500\nOne photo, one song\n\n2\n00:00:04,250 --> 00:00:06,750\n<i>Still on the beat</i>\n';
const SRT_LINES = [
  { start: 1, end: 2.5, text: 'One photo, one song' },
  { start: 4.25, end: 6.75, text: 'Still on the beat' },
];

interface Timeline {
  media: Array<{ index: number; path: string }>;
  shots: Array<{ start: number; end: number; source: string; media_index: number }>;
  captions?: { source: string; timing: string; lines: Array<{ start: number; end: number; text: string }> };
}

const s = useSession({
  expected: [
    JOB_STREAM_CLOSED,
    MEDIA_RANGE_CANCELLED,
    { method: 'POST', path: /^\/api\/v1\/music_videos\/preview$/, status: 'aborted', why: 'previews for an aspect the user just left are cancelled' },
    { method: 'POST', path: /^\/api\/v1\/files$/, status: 'aborted', why: 'leaving the wizard cancels its uploads (the over-limit test holds them)' },
  ],
  media: async (dir) => {
    const f = (name: string) => path.join(dir, name);
    const [song, red, green, bars] = await Promise.all([
      testing.makeClickTrack({ path: f('song.mp3'), bpm: BPM, seconds: SONG_SECONDS, accentEvery: 4 }),
      testing.makeImage({ path: f('red.jpg'), width: 640, height: 480, pattern: 'solid', color: 'red' }),
      testing.makeImage({ path: f('green.png'), width: 480, height: 640, pattern: 'solid', color: 'green' }),
      testing.makeImage({ path: f('bars.jpg'), width: 800, height: 450 }),
    ]);
    await Promise.all([writeFile(f('count-it-in.lrc'), LRC), writeFile(f('one-photo.srt'), SRT)]);
    return { song, red, green, bars, lrc: f('count-it-in.lrc'), srt: f('one-photo.srt') };
  },
});

/** Upload ids by file name, read back from the library. */
const fileIds: Record<string, string> = {};
let jobId = '';

const photoOrder = () => s.page.getByTestId('mv-photo').evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));

/** Waits for dnd-kit's screen-reader announcement (its live region): the drag state the page has reached. */
const announced = (page: Page, text: string) => expect.poll(() => page.locator('[id^="DndLiveRegion-"]').allTextContents()).toContain(text);

/** The names of the photos being dragged (none between drags). */
const dragging = (page: Page) => page.locator('[data-testid="mv-photo"][data-dragging]').evaluateAll((els) => els.map((el) => el.getAttribute('data-name')));

/** Imports a lyrics file the way a person does: the import button, then the file chooser. */
async function importLyrics(page: Page, file: string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import .lrc / .srt' }).click();
  await (await chooser).setFiles(file);
}

/** The timed lines the wizard lists under the lyrics field. */
const shownLines = (page: Page) =>
  page.getByTestId('mv-lyrics-line').evaluateAll((els) =>
    els.map((el) => ({ start: Number(el.getAttribute('data-start')), text: el.lastElementChild?.textContent ?? '' })),
  );

async function jobOutput(page: Page, id: string, role: string): Promise<string> {
  const job = await (await page.request.get(`/api/v1/jobs/${id}`)).json();
  const out = (job.output?.files ?? []).find((f: { role: string }) => f.role === role);
  expect(out, `job ${id} has a ${role} output`).toBeDefined();
  return out.file as string;
}

async function timelineOf(page: Page, id: string): Promise<Timeline> {
  const res = await page.request.get(`/api/v1/files/${await jobOutput(page, id, 'timeline')}/content`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Timeline;
}

/** The order in which the shots first show each source. */
const firstShown = (t: Timeline) => [...new Set(t.shots.map((shot) => shot.source))];

describe('music video wizard', () => {
  it('signs up and opens the wizard from the navigation', async () => {
    const { page } = s;
    await signUp(page, USER);
    await page.getByTestId('cta-music-video').waitFor();

    await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Music video' }).click();
    await page.waitForURL(/\/create\/music-video$/);
    await page.getByRole('heading', { name: 'Make a music video', level: 1 }).waitFor();
    // Empty state: the big drop zone with one button.
    await page.getByTestId('mv-drop-zone').locator('button', { hasText: 'Choose files' }).waitFor();
    await expect.poll(() => page.getByTestId('mv-photo').count()).toBe(0);
    await screenshots(page, 'mv-01-wizard-empty');
  });

  it('uploads the song and three photos, each with its own progress', async () => {
    const { page, watch, media } = s;
    // Hold the uploads at the server's door until every file's progress bar has been seen.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held: Array<Promise<void>> = [];
    await page.route('**/api/v1/files', (route) => {
      const sent = gate.then(() => route.continue());
      held.push(sent);
      return sent;
    });
    try {
      await page.getByTestId('mv-file-input').setInputFiles([media.song, media.red, media.green, media.bars]);
      for (const name of ['song.mp3', 'red.jpg', 'green.png', 'bars.jpg']) {
        // At 0 % the bar's filled part has no width, so it is attached rather than visible.
        const bar = page.getByRole('progressbar', { name: `Progress of ${name}` });
        await bar.waitFor({ state: 'attached' });
        await expect.poll(() => bar.getAttribute('aria-valuenow')).toBe('0');
      }
      await screenshots(page, 'mv-02-wizard-uploading');
    } finally {
      release();
      await Promise.all(held);
      await page.unroute('**/api/v1/files');
    }

    await page.locator('[data-testid="mv-song"][data-status="done"]').waitFor({ timeout: 60_000 });
    await expect.poll(() => page.locator('[data-testid="mv-photo"][data-status="done"]').count(), { timeout: 60_000 }).toBe(3);
    await expect.poll(() => page.getByRole('progressbar').count()).toBe(0);
    expect(watch.requests().filter((r) => r === 'POST /api/v1/files')).toHaveLength(4);
    await expect.poll(photoOrder).toEqual(['red.jpg', 'green.png', 'bars.jpg']);

    const list = (await (await page.request.get('/api/v1/files?limit=100')).json()) as { data: Array<{ id: string; filename: string }> };
    for (const f of list.data) fileIds[f.filename] = f.id;
    expect(Object.keys(fileIds).sort()).toEqual(['bars.jpg', 'green.png', 'red.jpg', 'song.mp3']);
  });

  it('reorders photos with the keyboard', async () => {
    const { page } = s;
    const handle = page.getByRole('button', { name: 'Move photo 1 (red.jpg)' });
    await handle.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => dragging(page)).toEqual(['red.jpg']);
    await page.keyboard.press('ArrowRight');
    await announced(page, 'red.jpg is over position 2.');
    await page.keyboard.press('Space');
    await announced(page, 'red.jpg dropped at position 2.');
    await expect.poll(() => dragging(page)).toEqual([]);
    await expect.poll(photoOrder).toEqual(['green.png', 'red.jpg', 'bars.jpg']);
  });

  it('reorders photos by dragging a handle with the mouse', async () => {
    const { page } = s;
    // Drag the third photo (bars.jpg) by its handle onto the first tile.
    const handle = page.getByRole('button', { name: 'Move photo 3 (bars.jpg)' });
    const from = (await handle.boundingBox())!;
    const target = (await page.getByTestId('mv-photo').first().boundingBox())!;
    const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
    await page.mouse.move(start.x, start.y);
    await page.mouse.down();
    // Past the 6 px activation distance: the drag starts.
    await page.mouse.move(start.x - 12, start.y + 4, { steps: 3 });
    await expect.poll(() => dragging(page)).toEqual(['bars.jpg']);
    await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 12 });
    await announced(page, 'bars.jpg is over position 1.');
    await page.mouse.up();
    await announced(page, 'bars.jpg dropped at position 1.');
    await expect.poll(() => dragging(page)).toEqual([]);
    await expect.poll(photoOrder).toEqual(['bars.jpg', 'green.png', 'red.jpg']);
    // The position badges follow the new order.
    await expect
      .poll(() => page.getByTestId('mv-photo').evaluateAll((els) => els.map((el) => el.querySelector('.mantine-Badge-root')?.textContent)))
      .toEqual(['1', '2', '3']);
    await page.getByRole('button', { name: 'Move photo 1 (bars.jpg)' }).waitFor();
    await page.getByRole('button', { name: 'Move photo 3 (red.jpg)' }).waitFor();
  });

  it('previews the first photo in every style and follows the aspect', async () => {
    const { page } = s;
    const previews = page.getByTestId('mv-style-preview');
    const loaded = () =>
      previews.evaluateAll((imgs) =>
        (imgs as HTMLImageElement[]).filter((i) => i.complete && i.naturalWidth > 0).map((i) => ({ w: i.naturalWidth, h: i.naturalHeight })),
      );
    await expect.poll(async () => (await loaded()).length, { timeout: 60_000 }).toBeGreaterThanOrEqual(6);
    for (const { w, h } of await loaded()) expect([w, h]).toEqual([320, 180]);

    await page.getByTestId('mv-aspect').getByText('9:16 vertical').click();
    await expect
      .poll(async () => (await loaded()).filter(({ w, h }) => w === 320 && h === 568).length, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(6);

    await page.getByRole('radio', { name: 'Minimal' }).click();
    await expect.poll(() => page.getByRole('radio', { name: 'Minimal' }).getAttribute('aria-checked')).toBe('true');
    await page.getByTestId('mv-resolution').getByText('480p').click();
  });

  it('imports LRC lyrics from a file and lists the timed lines', async () => {
    const { page, media } = s;
    await page.getByRole('textbox', { name: 'Title' }).fill('Count It In');
    await importLyrics(page, media.lrc);
    await expect.poll(() => page.getByRole('textbox', { name: 'Lyrics' }).inputValue()).toBe(LRC);
    await expect.poll(() => page.getByTestId('mv-lyrics-format').getAttribute('data-format')).toBe('lrc');
    await page.getByTestId('mv-lyrics-format').getByText('exact timing from the file').waitFor();
    await expect.poll(() => shownLines(page)).toEqual(LRC_LINES);
    const list = page.getByRole('list', { name: '3 timed lines' });
    await list.getByText('0:05.50').waitFor();
    await list.getByText('Till the song is done').waitFor();
    await screenshots(page, 'mv-03-wizard-ready');
  });

  it('creates the video with the photos in the chosen order and the LRC lyrics', async () => {
    const { page } = s;
    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/music_videos') && r.request().method() === 'POST');
    await page.getByTestId('mv-create').click();
    const res = await created;
    expect(res.status()).toBe(202);
    const body = JSON.parse(res.request().postData() ?? '{}');
    expect(body).toMatchObject({ style: 'minimal', aspect_ratio: '9:16', resolution: '480p', title: 'Count It In', lyrics: { lrc: LRC } });
    expect(body.audio_file).toBe(fileIds['song.mp3']);
    expect(body.image_files).toEqual([fileIds['bars.jpg'], fileIds['green.png'], fileIds['red.jpg']]);
    expect(body).not.toHaveProperty('photo_order'); // the order the user dragged, not a shuffle
    await page.waitForURL(/\/jobs\/job_/);
    jobId = new URL(page.url()).pathname.split('/').pop()!;
  });

  it('shows live progress, then the result with player, tempo and song map', async () => {
    const { page } = s;
    await page.getByTestId('job-detail').waitFor();
    expect(await waitForJobSuccess(page, RENDER_WAIT_MS)).toBe(jobId);

    const player = page.getByTestId('mv-player');
    await player.waitFor();
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.readyState)).toBeGreaterThanOrEqual(1);
    const video = await player.evaluate((v: HTMLVideoElement) => ({ duration: v.duration, width: v.videoWidth, height: v.videoHeight, poster: v.poster, src: v.currentSrc }));
    expect(Math.abs(video.duration - SONG_SECONDS)).toBeLessThan(0.35);
    expect(video.height).toBeGreaterThan(video.width); // 9:16
    expect(video.poster).toMatch(/\/api\/v1\/files\/file_[^/]+\/content$/);

    const tempo = page.getByTestId('mv-tempo');
    await expect.poll(() => tempo.innerText()).toMatch(/\d+ BPM/);
    const bpm = Number(/(\d+) BPM/.exec(await tempo.innerText())?.[1]);
    expect(Math.abs(bpm - BPM)).toBeLessThanOrEqual(3);

    const map = page.getByTestId('mv-section-map');
    await map.waitFor();
    await expect.poll(() => map.getByTestId('mv-section').count()).toBeGreaterThanOrEqual(1);
    await expect.poll(() => map.getByTestId('mv-cut').count()).toBeGreaterThanOrEqual(2);
    await expect.poll(() => map.getAttribute('data-has-waveform')).toBe('true');

    const download = page.getByTestId('mv-download');
    const videoSrc = new URL(video.src).pathname;
    await expect.poll(async () => (await download.getAttribute('href')) ?? '').toMatch(/\?download=/);
    const href = (await download.getAttribute('href')) ?? '';
    expect(href.startsWith(`${videoSrc}?download=`)).toBe(true);
    const file = await page.request.get(href);
    expect(file.status()).toBe(200);
    expect(file.headers()['content-type']).toBe('video/mp4');
    expect(file.headers()['content-disposition']).toMatch(/^attachment/);

    // A section button seeks the player to the start of that section.
    const sections = page.getByTestId('mv-section-button');
    const last = sections.last();
    const lastStart = Number(await map.getByTestId('mv-section').last().getAttribute('data-start'));
    await player.evaluate((v: HTMLVideoElement) => {
      v.currentTime = v.duration - 0.5;
    });
    await last.click();
    await expect.poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeCloseTo(lastStart, 1);

    await screenshots(page, 'mv-04-result');
  }, RENDER_WAIT_MS + 60_000);

  it("the job's timeline has the photos in the dragged order and the captions at the LRC times", async () => {
    const { page } = s;
    const timeline = await timelineOf(page, jobId);
    const order = [fileIds['bars.jpg'], fileIds['green.png'], fileIds['red.jpg']];
    expect(timeline.media.map((m) => m.path)).toEqual(order);
    const shown = firstShown(timeline);
    expect(shown.length).toBeGreaterThanOrEqual(2);
    expect(shown).toEqual(order.slice(0, shown.length));

    expect(timeline.captions).toMatchObject({ source: 'lrc', timing: 'exact' });
    const lines = timeline.captions!.lines;
    expect(lines.map((l) => l.text)).toEqual(LRC_LINES.map((l) => l.text));
    lines.forEach((line, i) => expect(line.start).toBeCloseTo(LRC_LINES[i]!.start, 2));
    // An LRC line lasts until the next one starts.
    expect(lines[0]!.end).toBeCloseTo(LRC_LINES[1]!.start, 2);
  });

  it('makes a second video from the same song with SRT lyrics imported from a file', async () => {
    const { page, media } = s;
    // The song comes along by URL, the way the song studio hands one over.
    await page.goto(`/create/music-video?audio_file=${fileIds['song.mp3']}`);
    await page.locator('[data-testid="mv-song"][data-status="done"]').getByText('song.mp3').waitFor();
    const uploaded = page.waitForResponse((r) => r.url().endsWith('/api/v1/files') && r.request().method() === 'POST');
    await page.getByTestId('mv-file-input').setInputFiles(media.red);
    const photoId = ((await (await uploaded).json()) as { id: string }).id;
    await page.locator('[data-testid="mv-photo"][data-status="done"]').waitFor({ timeout: 60_000 });

    await importLyrics(page, media.srt);
    await expect.poll(() => page.getByRole('textbox', { name: 'Lyrics' }).inputValue()).toBe(SRT);
    await expect.poll(() => page.getByTestId('mv-lyrics-format').getAttribute('data-format')).toBe('srt');
    await expect.poll(() => shownLines(page)).toEqual(SRT_LINES.map(({ start, text }) => ({ start, text })));
    // SRT cues show their end too; the markup is not part of the caption.
    const list = page.getByRole('list', { name: '2 timed lines' });
    await list.getByText('0:04.25–0:06.75').waitFor();
    await list.getByText('Still on the beat', { exact: true }).waitFor();
    await page.getByTestId('mv-resolution').getByText('480p').click();
    await screenshots(page, 'mv-05-wizard-srt');

    const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/music_videos') && r.request().method() === 'POST');
    await page.getByTestId('mv-create').click();
    const res = await created;
    expect(res.status()).toBe(202);
    const body = JSON.parse(res.request().postData() ?? '{}');
    expect(body).toMatchObject({ audio_file: fileIds['song.mp3'], image_files: [photoId], lyrics: { srt: SRT } });
    const secondJob = await waitForJobSuccess(page, RENDER_WAIT_MS);

    const timeline = await timelineOf(page, secondJob);
    expect(timeline.captions).toMatchObject({ source: 'srt', timing: 'exact' });
    const lines = timeline.captions!.lines;
    expect(lines.map((l) => l.text)).toEqual(SRT_LINES.map((l) => l.text));
    lines.forEach((line, i) => {
      expect(line.start).toBeCloseTo(SRT_LINES[i]!.start, 2);
      expect(line.end).toBeCloseTo(SRT_LINES[i]!.end, 2);
    });
  }, RENDER_WAIT_MS + 90_000);

  it('keeps the first 200 photos of a bigger drop and says how many were left out', async () => {
    const { page, media } = s;
    await page.goto('/create/music-video');
    await page.getByTestId('mv-drop-zone').waitFor();
    // The uploads are held (never answered): this is about what the wizard takes, not the server.
    await page.route('**/api/v1/files', () => new Promise<void>(() => undefined));
    try {
      const png = await readFile(media.green);
      const files = Array.from({ length: 203 }, (_, i) => ({ name: `p${i}.png`, mimeType: 'image/png', buffer: png }));
      await page.getByTestId('mv-file-input').setInputFiles(files);
      await page.getByTestId('mv-over-limit').getByText('at most 200 photos and 50 clips: the first ones were kept and 3 files were left out').waitFor();
      await expect.poll(() => page.getByTestId('mv-photo').count()).toBe(200);
      expect(await page.getByTestId('mv-photo').last().getAttribute('data-name')).toBe('p199.png');
      // With more than one photo the order can be left to ClipMix.
      await page.getByRole('switch', { name: 'Shuffle the photos' }).check();
      await page.getByText('ClipMix picks the order (never the same photo twice in a row).').waitFor();
      await screenshots(page, 'mv-06-wizard-over-limit');
    } finally {
      await page.unrouteAll({ behavior: 'ignoreErrors' });
      await page.goto('/'); // leaving the wizard cancels the held uploads
    }
  });

  it('had no console errors and no unexpected failed requests', () => {
    expect(s.watch.problems()).toEqual([]);
  });
});
