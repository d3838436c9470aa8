import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAudio } from '../src/audio/analyze.js';
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
});
