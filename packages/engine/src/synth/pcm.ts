/** Small PCM helpers: parse a 16-bit WAV from a buffer, 2× upsampling, and a streamed WAV writer. */
import { open } from 'node:fs/promises';

/** Mono samples of a 16-bit PCM WAV held in memory (e.g. espeak-ng's stdout, whose sizes are bogus). */
export function parseWav16(buf: Buffer): { samples: Float32Array; sampleRate: number; channels: number } {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE stream');
  }
  let off = 12;
  let sampleRate = 0;
  let channels = 1;
  let bits = 16;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      channels = buf.readUInt16LE(body + 2);
      sampleRate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
    } else if (id === 'data') {
      if (bits !== 16) throw new Error(`expected 16-bit PCM, got ${bits}-bit`);
      // A streamed WAV states a placeholder size: the data runs to the end of the buffer.
      const end = Math.min(buf.length, body + size);
      const frames = Math.floor((end - body) / (2 * channels));
      // Copy into an aligned Int16Array (the data may start at an odd offset of a pooled Buffer).
      const pcm = new Int16Array(frames * channels);
      Buffer.from(pcm.buffer).set(buf.subarray(body, body + frames * channels * 2));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = pcm[i * channels]! / 32768;
      return { samples, sampleRate, channels };
    }
    off = body + size + (size & 1);
  }
  throw new Error('WAV stream has no data chunk');
}

// Half-band interpolation filter: windowed sinc at the odd (in-between) positions, 2×8 taps.
const TAPS = 8;
const HALF_BAND = Float64Array.from({ length: 2 * TAPS }, (_, k) => {
  const d = k - TAPS + 0.5;
  const w = 0.54 + 0.46 * Math.cos((Math.PI * d) / (TAPS + 0.5));
  return (Math.sin(Math.PI * d) / (Math.PI * d)) * w;
});

/** Double the sample rate (a 22.05 kHz voice into a 44.1 kHz mix). */
export function upsample2(x: Float32Array): Float32Array {
  const y = new Float32Array(x.length * 2);
  addUpsampled2(x, y, 0);
  return y;
}

/** Add `x` upsampled 2× into `dest` starting at sample `at` (samples past either end are dropped). */
export function addUpsampled2(x: Float32Array, dest: Float32Array, at: number): void {
  const h = HALF_BAND;
  const len = x.length;
  for (let n = 0; n < len; n++) {
    const o = at + 2 * n;
    if (o + 1 >= dest.length) break;
    if (o < 0) continue;
    const first = n - TAPS + 1;
    let acc = 0;
    if (first >= 0 && first + 2 * TAPS <= len) {
      for (let k = 0; k < 2 * TAPS; k++) acc += x[first + k]! * h[k]!;
    } else {
      for (let k = 0; k < 2 * TAPS; k++) {
        const i = first + k;
        if (i >= 0 && i < len) acc += x[i]! * h[k]!;
      }
    }
    dest[o]! += x[n]!;
    dest[o + 1]! += acc;
  }
}

/** Write mono float samples as a 16-bit little-endian stereo WAV, converting one block at a time. */
export async function writeStereoWav16(path: string, mono: Float32Array, sampleRate: number): Promise<void> {
  const dataBytes = mono.length * 4;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + dataBytes, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(2, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * 4, 28);
  header.writeUInt16LE(4, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(dataBytes, 40);
  const file = await open(path, 'w');
  try {
    await file.write(header);
    const block = 65536;
    const frames = new Int16Array(block * 2);
    const bytes = Buffer.from(frames.buffer);
    for (let start = 0; start < mono.length; start += block) {
      const n = Math.min(block, mono.length - start);
      for (let i = 0; i < n; i++) {
        const v = mono[start + i]!;
        const q = Math.round((v > 1 ? 1 : v < -1 ? -1 : v) * 32767);
        frames[2 * i] = q;
        frames[2 * i + 1] = q;
      }
      await file.write(bytes, 0, n * 4);
    }
  } finally {
    await file.close();
  }
}
