/**
 * Waveform overview: interleaved [min, max] per bucket in -1..1, computed while ffmpeg streams mono
 * 8 kHz PCM through stdout. Memory is bounded by the bucket count, never by the audio length.
 */
import { ProbeError } from '../ffmpeg/errors.js';
import { probe } from '../ffmpeg/probe.js';
import { streamFfmpeg } from '../ffmpeg/run.js';
import { localPath, type FfmpegBinaries } from '../ffmpeg/tools.js';

export interface WaveformOptions {
  /** Number of buckets; the result holds 2 × peaks numbers. */
  peaks: number;
  signal?: AbortSignal;
  binaries?: FfmpegBinaries;
}

export interface Waveform {
  /** [min0, max0, min1, max1, …], each in -1..1 (rounded to 4 decimals). */
  peaks: number[];
  /** Length of the decoded audio. */
  durationSeconds: number;
  /** Rate the audio was decoded at for the overview. */
  sampleRate: number;
}

const DECODE_RATE = 8000;
/**
 * Samples are first gathered into fine buckets, sized from the probed duration so that about this
 * many make up one output bucket; the fine buckets are merged into exactly `peaks` at the end. A
 * wrong duration estimate (VBR MP3 without a header) then costs a little memory, not a bad shape.
 */
const FINE_PER_PEAK = 8;
/** Fine bucket size when the container states no duration: 10 ms. */
const FALLBACK_FINE_SIZE = DECODE_RATE / 100;

export async function computeWaveformPeaks(input: string, opts: WaveformOptions): Promise<Waveform> {
  const { peaks, signal, binaries } = opts;
  if (!Number.isInteger(peaks) || peaks < 1) throw new RangeError(`peaks must be a positive integer, got ${peaks}`);
  const info = await probe(input, { signal, binaries });
  if (!info.audio) throw new ProbeError('no audio stream', input);

  const expectedSamples = Math.round((info.audio.durationSeconds || info.durationSeconds) * DECODE_RATE);
  const fineSize = expectedSamples > 0 ? Math.max(1, Math.floor(expectedSamples / (peaks * FINE_PER_PEAK))) : FALLBACK_FINE_SIZE;
  const acc = new PeakAccumulator(fineSize, peaks * FINE_PER_PEAK + 16);

  await streamFfmpeg(
    ['-i', localPath(input), '-map', '0:a:0', '-ac', '1', '-ar', String(DECODE_RATE), '-c:a', 'pcm_s16le', '-f', 's16le', 'pipe:1'],
    { signal, binaries, onStdout: (chunk) => acc.push(chunk) },
  );
  acc.flush();
  return { peaks: acc.reduce(peaks), durationSeconds: acc.sampleCount / DECODE_RATE, sampleRate: DECODE_RATE };
}

/** Min/max of consecutive runs of `fineSize` s16le samples, fed in arbitrary byte chunks. */
export class PeakAccumulator {
  sampleCount = 0;
  private mins: Float32Array;
  private maxs: Float32Array;
  private buckets = 0;
  private inBucket = 0;
  private lo = Infinity;
  private hi = -Infinity;
  private oddByte = -1;

  constructor(
    private readonly fineSize: number,
    initialCapacity = 1024,
  ) {
    this.mins = new Float32Array(initialCapacity);
    this.maxs = new Float32Array(initialCapacity);
  }

  push(chunk: Buffer): void {
    let i = 0;
    if (this.oddByte >= 0 && chunk.length > 0) {
      this.add((((chunk[0]! << 8) | this.oddByte) << 16) >> 16);
      this.oddByte = -1;
      i = 1;
    }
    for (; i + 1 < chunk.length; i += 2) this.add(chunk.readInt16LE(i));
    if (i < chunk.length) this.oddByte = chunk[i]!;
  }

  /** Close the last, partial bucket. */
  flush(): void {
    if (this.inBucket > 0) this.closeBucket();
  }

  /** Merge the buckets into exactly `count` [min, max] pairs (repeating when there are fewer). */
  reduce(count: number): number[] {
    const out = new Array<number>(count * 2).fill(0);
    const n = this.buckets;
    if (n === 0) return out;
    for (let i = 0; i < count; i++) {
      const from = Math.floor((i * n) / count);
      const to = Math.max(from + 1, Math.floor(((i + 1) * n) / count));
      let lo = Infinity;
      let hi = -Infinity;
      for (let j = from; j < to; j++) {
        lo = Math.min(lo, this.mins[j]!);
        hi = Math.max(hi, this.maxs[j]!);
      }
      out[2 * i] = round4(lo / 32768);
      out[2 * i + 1] = round4(hi / 32768);
    }
    return out;
  }

  private add(sample: number): void {
    if (sample < this.lo) this.lo = sample;
    if (sample > this.hi) this.hi = sample;
    this.sampleCount++;
    if (++this.inBucket === this.fineSize) this.closeBucket();
  }

  private closeBucket(): void {
    if (this.buckets === this.mins.length) {
      const grow = (a: Float32Array) => {
        const b = new Float32Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.mins = grow(this.mins);
      this.maxs = grow(this.maxs);
    }
    this.mins[this.buckets] = this.lo;
    this.maxs[this.buckets] = this.hi;
    this.buckets++;
    this.inBucket = 0;
    this.lo = Infinity;
    this.hi = -Infinity;
  }
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4 || 0;
}
