import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudio, analyzePcm } from '../src/audio/analyze.js';
import { AudioDecodeError, decodeToPcm } from '../src/audio/decode.js';
import { fMeasure } from '../src/audio/metrics.js';
import { synthDrumGroove, writeSynthWav, type SynthSignal } from '../src/audio/synth-test-signals.js';
import { encodeWav, writeWav } from '../src/audio/wav.js';

let dir = '';
let groove: SynthSignal;
const report: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'clipmix-audio-decode-'));
  groove = synthDrumGroove({ bpm: 123, bars: 16, noise: { kind: 'pink', snrDb: 15 }, seed: 5 });
  await writeSynthWav(join(dir, 'groove.wav'), groove);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  console.log(['', 'audio decode (ffmpeg):', ...report].join('\n'));
});

/** Element-wise equality (vitest's deep equality is slow on long typed arrays). */
function sameSamples(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function ffmpeg(args: string[]): void {
  const r = spawnSync('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
  if (r.status !== 0) throw new Error(`ffmpeg ${args.join(' ')} failed: ${r.stderr.toString()}`);
}

describe('decodeToPcm through ffmpeg', () => {
  it('decodes a 16-bit WAV to the same samples (mono f32le)', async () => {
    const pcm = await decodeToPcm(join(dir, 'groove.wav'));
    expect(pcm.sampleRate).toBe(22050);
    expect(pcm.samples).toBeInstanceOf(Float32Array);
    expect(pcm.samples.length).toBe(groove.samples.length);
    expect(pcm.durationSeconds).toBeCloseTo(groove.durationSeconds, 6);
    let maxErr = 0;
    for (let i = 0; i < pcm.samples.length; i++) maxErr = Math.max(maxErr, Math.abs(pcm.samples[i]! - groove.samples[i]!));
    expect(maxErr).toBeLessThan(2 / 32767);
  });

  it('resamples a 44.1 kHz float WAV and downmixes stereo', async () => {
    const sr = 44100;
    const x = new Float32Array(sr * 2);
    for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 441 * i) / sr);
    const mono = join(dir, 'tone44.wav');
    await writeWav(mono, x, sr, 'float32');
    const stereo = join(dir, 'tone44-stereo.wav');
    ffmpeg(['-i', mono, '-ac', '2', stereo]);
    for (const f of [mono, stereo]) {
      const pcm = await decodeToPcm(f, { sampleRate: 22050 });
      expect(pcm.samples.length).toBe(44100);
      expect(pcm.durationSeconds).toBeCloseTo(2, 3);
      let s = 0;
      for (let i = 1000; i < pcm.samples.length - 1000; i++) s += pcm.samples[i]! ** 2;
      const rms = Math.sqrt(s / (pcm.samples.length - 2000));
      expect(rms).toBeGreaterThan(0.3);
      expect(rms).toBeLessThan(0.4); // 0.5/√2 ≈ 0.354, unchanged by the downmix
    }
  });

  it('decodes an MP3 and the analysis still finds tempo and beats', async () => {
    const mp3 = join(dir, 'groove.mp3');
    ffmpeg(['-i', join(dir, 'groove.wav'), '-codec:a', 'libmp3lame', '-b:a', '128k', mp3]);
    const pcm = await decodeToPcm(mp3);
    expect(Math.abs(pcm.durationSeconds - groove.durationSeconds)).toBeLessThan(0.06);
    const a = await analyzeAudio(mp3);
    const f = fMeasure(groove.beats, a.beats, 0.07);
    report.push(`  MP3 128k groove @123: tempo ${a.tempoBpm.toFixed(2)}, beat F ${f.fMeasure.toFixed(3)}, mean offset ${((f.errors.reduce((x, y) => x + y, 0) / f.errors.length) * 1000).toFixed(1)} ms`);
    expect(a.hasBeat).toBe(true);
    expect(Math.abs(a.tempoBpm / 123 - 1)).toBeLessThan(0.02);
    expect(f.fMeasure).toBeGreaterThanOrEqual(0.9);
  });

  it('reads names that look like options or protocols as plain files', async () => {
    const odd = join(dir, '-i weird name?.wav');
    writeFileSync(odd, encodeWav(new Float32Array(2205), 22050));
    const pcm = await decodeToPcm(odd);
    expect(pcm.samples.length).toBe(2205);
    // A name that ffmpeg would read as a protocol (here concat: of two real WAVs, which ffmpeg
    // alone would happily decode) is looked up as a plain (missing) file instead.
    const wav = join(dir, 'groove.wav');
    await expect(decodeToPcm(`concat:${wav}|${wav}`)).rejects.toBeInstanceOf(AudioDecodeError);
  });

  it('rejects missing and non-audio files with AudioDecodeError', async () => {
    await expect(decodeToPcm(join(dir, 'missing.wav'))).rejects.toBeInstanceOf(AudioDecodeError);
    const junk = join(dir, 'junk.mp3');
    writeFileSync(junk, 'this is not audio at all');
    await expect(decodeToPcm(junk)).rejects.toBeInstanceOf(AudioDecodeError);
    await expect(decodeToPcm(join(dir, 'groove.wav'), { ffmpegPath: join(dir, 'no-such-ffmpeg') })).rejects.toThrow(/could not run ffmpeg/);
    await expect(decodeToPcm(join(dir, 'groove.wav'), { sampleRate: 10 })).rejects.toBeInstanceOf(RangeError);
  });

  it('honours an AbortSignal (before and during decoding)', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(decodeToPcm(join(dir, 'groove.wav'), { signal: ac.signal })).rejects.toMatchObject({ name: 'AbortError' });
    // A longer input (2 minutes of generated noise) aborted right after start.
    const long = join(dir, 'long.wav');
    ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=d=120:r=22050', long]);
    const ac2 = new AbortController();
    const p = decodeToPcm(long, { signal: ac2.signal });
    setTimeout(() => ac2.abort(), 5);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    await expect(analyzeAudio(long, { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('limits decoding with maxSeconds', async () => {
    const pcm = await decodeToPcm(join(dir, 'groove.wav'), { maxSeconds: 3 });
    expect(pcm.samples.length).toBe(3 * 22050);
  });

  it('streams PCM to onData as it decodes (growing prefix, same samples as the result)', async () => {
    const seen: number[] = [];
    let last: Float32Array | undefined;
    const pcm = await decodeToPcm(join(dir, 'groove.wav'), {
      onData: (samples, available) => {
        seen.push(available);
        last = samples;
      },
    });
    expect(seen.length).toBeGreaterThan(1);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThan(seen[i - 1]!);
    expect(seen[seen.length - 1]).toBe(pcm.samples.length);
    expect(sameSamples(last!.subarray(0, pcm.samples.length), pcm.samples)).toBe(true);
    // An exception in the consumer fails the decode.
    await expect(
      decodeToPcm(join(dir, 'groove.wav'), {
        onData: () => {
          throw new Error('consumer failed');
        },
      }),
    ).rejects.toThrow('consumer failed');
  });
});

describe('analyzeAudio (STFT while decoding)', () => {
  it('gives exactly the analysis of analyzePcm on the decoded samples', async () => {
    const mp3 = join(dir, 'groove.mp3');
    if (!existsSync(mp3)) ffmpeg(['-i', join(dir, 'groove.wav'), '-codec:a', 'libmp3lame', '-b:a', '128k', mp3]);
    const streamed = await analyzeAudio(mp3);
    const batch = analyzePcm((await decodeToPcm(mp3)).samples, 22050);
    expect(streamed).toEqual(batch);
  });
});

const HAVE_SOX = spawnSync('sox', ['--version']).status === 0;

describe.skipIf(!HAVE_SOX)("decoder 'auto': SoX for WAV / AIFF / FLAC", () => {
  /** RMS of a − b over the middle of the signals. */
  function rmsDiff(a: Float32Array, b: Float32Array): { diff: number; rms: number } {
    let d = 0;
    let r = 0;
    const n = Math.min(a.length, b.length);
    for (let i = 1000; i < n - 1000; i++) {
      d += (a[i]! - b[i]!) ** 2;
      r += b[i]! ** 2;
    }
    return { diff: Math.sqrt(d / (n - 2000)), rms: Math.sqrt(r / (n - 2000)) };
  }

  it('gives the same PCM as ffmpeg (rate, downmix and level) for WAV 16/24-bit/float, stereo, AIFF and FLAC', async () => {
    const sr = 44100;
    const x = new Float32Array(sr * 2);
    for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin((2 * Math.PI * 441 * i) / sr) + 0.2 * Math.sin((2 * Math.PI * 3000 * i) / sr);
    const src = join(dir, 'auto-src.wav');
    await writeWav(src, x, sr, 'float32');
    const files = [src, join(dir, 'auto-s16.wav'), join(dir, 'auto-st24.wav'), join(dir, 'auto.aiff'), join(dir, 'auto.flac')];
    ffmpeg(['-i', src, '-c:a', 'pcm_s16le', files[1]!]);
    ffmpeg(['-i', src, '-ac', '2', '-c:a', 'pcm_s24le', files[2]!]);
    ffmpeg(['-i', src, files[3]!]);
    ffmpeg(['-i', src, files[4]!]);
    // A stereo file with different channels checks the downmix gain.
    const st = join(dir, 'auto-lr.wav');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=f=441:d=2:r=44100', '-f', 'lavfi', '-i', 'sine=f=882:d=2:r=44100', '-filter_complex', '[0][1]amerge=inputs=2', '-c:a', 'pcm_f32le', st]);
    for (const f of [...files, st]) {
      const viaSox = await decodeToPcm(f, { decoder: 'auto' });
      const viaFfmpeg = await decodeToPcm(f);
      expect(viaSox.sampleRate).toBe(22050);
      expect(viaSox.samples.length).toBe(viaFfmpeg.samples.length);
      const { diff, rms } = rmsDiff(viaSox.samples, viaFfmpeg.samples);
      expect(rms).toBeGreaterThan(0.05);
      expect(diff).toBeLessThan(rms * 1e-3); // both resamplers are transparent in this band
      const short = await decodeToPcm(f, { decoder: 'auto', maxSeconds: 0.5 });
      expect(short.samples.length).toBe(11025);
    }
  });

  it('falls back to ffmpeg for other formats, missing SoX, or files SoX cannot read', async () => {
    const mp3 = join(dir, 'groove.mp3');
    if (!existsSync(mp3)) ffmpeg(['-i', join(dir, 'groove.wav'), '-codec:a', 'libmp3lame', '-b:a', '128k', mp3]);
    const a = await decodeToPcm(mp3, { decoder: 'auto' });
    const b = await decodeToPcm(mp3);
    expect(sameSamples(a.samples, b.samples)).toBe(true);
    const c = await decodeToPcm(join(dir, 'groove.wav'), { decoder: 'auto', soxPath: join(dir, 'no-such-sox') });
    expect(c.samples.length).toBe(groove.samples.length);
    // A WAV header SoX cannot decode (µ-law in WAVE_FORMAT_EXTENSIBLE is fine; an MP3 inside a
    // WAV container is not): ffmpeg takes over.
    const mp3wav = join(dir, 'mp3-in.wav');
    ffmpeg(['-i', join(dir, 'groove.wav'), '-codec:a', 'libmp3lame', '-b:a', '128k', '-f', 'wav', mp3wav]);
    const d = await decodeToPcm(mp3wav, { decoder: 'auto' });
    expect(Math.abs(d.durationSeconds - groove.durationSeconds)).toBeLessThan(0.1);
    await expect(decodeToPcm(join(dir, 'missing.wav'), { decoder: 'auto' })).rejects.toBeInstanceOf(AudioDecodeError);
  });

  it('reads odd names as plain files (no globbing, no playlists, no options) and honours abort', async () => {
    const wav = join(dir, 'groove.wav');
    for (const name of ['-i weird name?.wav', '*.wav', 'list.m3u', '|echo hi']) {
      const odd = join(dir, name);
      writeFileSync(odd, encodeWav(groove.samples.subarray(0, 22050), 22050));
      const pcm = await decodeToPcm(odd, { decoder: 'auto' });
      expect(pcm.samples.length).toBe(22050);
    }
    await expect(decodeToPcm(wav, { decoder: 'auto', signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    const long = join(dir, 'long.wav');
    if (!existsSync(long)) ffmpeg(['-f', 'lavfi', '-i', 'anoisesrc=d=120:r=22050', long]);
    const ac = new AbortController();
    const p = decodeToPcm(long, { decoder: 'auto', signal: ac.signal });
    setTimeout(() => ac.abort(), 5);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('analyzeAudio gives the same analysis through SoX as through ffmpeg', async () => {
    const wav = join(dir, 'groove.wav');
    const viaSox = await analyzeAudio(wav);
    const viaFfmpeg = await analyzeAudio(wav, { ffmpegPath: 'ffmpeg' });
    expect(viaSox).toEqual(viaFfmpeg);
  });
});
