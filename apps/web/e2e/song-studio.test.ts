/**
 * The song journey: sign up → Create → Song → write lyrics from a theme → pick genre and mood →
 * a 15 s song → watch the job finish → the player loads the real MP3 (≈ 15 s) → every download
 * is listed and served → "Make a music video from this song" opens the wizard with the song and
 * its LRC preloaded. Screenshots (song-…) at desktop and phone size.
 */
import { describe, expect, it } from 'vitest';
import { screenshots } from './harness';
import { clickNav, newUser, signUp, useSession, waitForJobSuccess } from './session';

const USER = newUser('Carole King', 'tapestry-1971-ode');
/** The song takes ~10 s on an idle 2-core machine; CI machines are loaded several times over. */
const SONG_WAIT_MS = 120_000;

const s = useSession({
  expected: [
    {
      method: 'GET',
      path: /^http:\/\/127\.0\.0\.1:\d+\/[0-9a-f-]{36}$/,
      status: 'aborted',
      why: 'the player plays the downloaded MP3 from an in-memory blob: URL; leaving the page stops that media load',
    },
  ],
});

let jobPath = '';
/** The song's LRC as the download link serves it. */
let lrcText = '';
/** The name of the song's MP3 output. */
let mp3Name = '';

describe('song studio journey', () => {
  it('opens the studio from the rail and writes lyrics from a theme', async () => {
    const { page } = s;
    await signUp(page, USER);

    await clickNav(page, 'Song');
    await page.waitForURL(/\/create\/song$/);
    await page.getByRole('heading', { name: 'Song studio', level: 1 }).waitFor();

    await page.getByRole('textbox', { name: 'Theme' }).fill('a summer road trip with old friends');
    await page.getByRole('button', { name: 'Write lyrics from the theme' }).click();
    await page.getByTestId('lyrics-provider').getByText('Written by local-template').waitFor();
    const field = page.getByRole('textbox', { name: 'Lyrics' });
    await expect.poll(() => field.inputValue()).toMatch(/^\[Verse/);
    const lyrics = await field.inputValue();
    expect(lyrics).toMatch(/\[Chorus\]/);

    // A section tag button appends a tag on its own line.
    await field.focus();
    await page.keyboard.press('Control+End');
    await page.getByRole('button', { name: 'Insert [Bridge]' }).click();
    await expect.poll(() => field.inputValue()).toMatch(/\n\n\[Bridge\]\n$/);
    await field.fill(lyrics);
  });

  it('picks genre, mood and a 15 s duration, then creates the song', async () => {
    const { page } = s;
    await page.getByTestId('genre-picker').getByRole('radio', { name: 'Country' }).click();
    await page.getByTestId('mood-picker').getByRole('radio', { name: 'Happy' }).click();
    await expect.poll(() => page.getByTestId('genre-picker').getByRole('radio', { name: 'Country' }).getAttribute('aria-checked')).toBe('true');
    const thumb = page.getByRole('slider', { name: 'Duration' });
    await thumb.focus();
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('song-duration-value').innerText()).toBe('15 s');
    await screenshots(page, 'song-01-studio');

    await page.getByRole('button', { name: 'Create song' }).click();
    jobPath = `/jobs/${await waitForJobSuccess(page, SONG_WAIT_MS)}`;
  }, SONG_WAIT_MS + 60_000);

  it('plays the finished song on its waveform and lists every download', async () => {
    const { page } = s;
    const result = page.getByTestId('song-result');
    await result.waitFor();
    await expect.poll(() => page.getByTestId('song-provider').innerText()).toMatch(/^local-composer \(algorithmic; .*voice\)$/);
    const player = page.locator('[data-testid="song-player"][data-ready="true"]');
    await player.waitFor({ timeout: 60_000 });
    const duration = Number(await player.getAttribute('data-duration'));
    expect(Math.abs(duration - 15)).toBeLessThanOrEqual(1);

    const downloads = page.getByTestId('song-downloads');
    await downloads.getByRole('link', { name: 'Download MP3' }).waitFor();
    await downloads.getByRole('link', { name: 'Download WAV' }).waitFor();
    await downloads.getByRole('link', { name: 'Download Stem: Drums' }).waitFor();
    await downloads.getByRole('link', { name: 'Download MIDI' }).waitFor();
    const roles = await downloads.getByRole('link').evaluateAll((els) => els.map((e) => e.getAttribute('data-role')));
    expect(roles.filter((r) => r === 'audio')).toHaveLength(2);
    expect(roles.filter((r) => r === 'stems').length).toBeGreaterThanOrEqual(4);
    expect(roles).toContain('midi');
    expect(roles).toContain('lyrics_lrc');

    // The LRC link serves the timed lyrics as an attachment.
    const href = await downloads.getByRole('link', { name: 'Download Lyrics (LRC)' }).getAttribute('href');
    const lrc = await page.evaluate(async (url) => {
      const res = await fetch(url!, { credentials: 'same-origin' });
      return { status: res.status, disposition: res.headers.get('content-disposition'), text: await res.text() };
    }, href);
    expect(lrc.status).toBe(200);
    expect(lrc.disposition).toMatch(/attachment/);
    expect(lrc.text).toMatch(/^\[\d\d:\d\d\.\d\d\]\S/m);
    lrcText = lrc.text.replace(/^\uFEFF/, '');

    const mp3Href = (await downloads.getByRole('link', { name: 'Download MP3' }).getAttribute('href')) ?? '';
    const mp3Id = /\/files\/(file_[^/]+)\/content/.exec(mp3Href)?.[1];
    expect(mp3Id).toBeDefined();
    mp3Name = ((await (await page.request.get(`/api/v1/files/${mp3Id}`)).json()) as { filename: string }).filename;

    await page.getByRole('button', { name: 'Play' }).click();
    await page.getByRole('button', { name: 'Pause' }).waitFor();
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Play' }).waitFor();
    await screenshots(page, 'song-02-result');
  }, 90_000);

  it('makes a music video from the song: the wizard opens with the song and its LRC lyrics', async () => {
    const { page } = s;
    await page.getByRole('button', { name: 'Make a music video from this song' }).click();
    await page.waitForURL(/\/create\/music-video\?/);
    const url = new URL(page.url());
    expect(url.searchParams.get('audio_file')).toMatch(/^file_/);
    expect(url.searchParams.get('lyrics_file')).toMatch(/^file_/);
    expect(url.searchParams.get('audio_file')).not.toBe(url.searchParams.get('lyrics_file'));
    await page.getByRole('heading', { name: 'Make a music video', level: 1 }).waitFor();

    // The song is in, ready to use: no upload, no progress bar.
    const song = page.locator('[data-testid="mv-song"][data-status="done"]');
    await song.getByText(mp3Name, { exact: true }).waitFor();
    await expect.poll(() => page.getByTestId('mv-song').count()).toBe(1);
    await expect.poll(() => song.getByRole('progressbar').count()).toBe(0);

    // The LRC is in the lyrics field, recognised as timed lyrics, line by line.
    await expect.poll(() => page.getByRole('textbox', { name: 'Lyrics' }).inputValue()).toBe(lrcText);
    await expect.poll(() => page.getByTestId('mv-lyrics-format').getAttribute('data-format')).toBe('lrc');
    const timed = lrcText.split('\n').filter((l) => /^\[\d\d:\d\d\.\d\d\]\s*\S/.test(l));
    const first = /^\[(\d\d):(\d\d\.\d\d)\]\s*(.*)$/.exec(timed[0]!)!;
    const lines = page.getByTestId('mv-lyrics-line');
    await expect.poll(() => lines.count()).toBe(timed.length);
    await expect.poll(() => lines.first().getAttribute('data-start')).toBe((Number(first[1]) * 60 + Number(first[2])).toFixed(2));
    const firstText = first[3]!.replace(/<[^>]*>/g, '').replace(/\s+/g, ' ').trim();
    await expect.poll(() => lines.first().innerText()).toContain(firstText);
    await screenshots(page, 'song-03-to-music-video');
    expect(jobPath).toMatch(/^\/jobs\/job_/);
  });

  it('had no console errors or failed requests', () => {
    expect(s.watch.problems(), s.watch.problems().join('\n')).toEqual([]);
  });
});
