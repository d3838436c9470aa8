/**
 * Gated RMS level of a 16-bit stereo WAV (the stems), read in chunks: the mean power of the 400 ms
 * blocks above −50 dBFS, so a stem that plays only in the chorus is judged by the chorus. Used to
 * set the mix levels whatever the soundfont's instrument volumes are.
 */
import { open } from 'node:fs/promises';
import { AbortError } from '../ffmpeg/errors.js';

const BLOCK_S = 0.4;
const GATE_DB = -50;
const CHUNK_BYTES = 1 << 20;

/** dBFS of the gated RMS, or -Infinity for a silent file. */
export async function gatedRmsDb(path: string, sampleRate = 44100, signal?: AbortSignal): Promise<number> {
  const blockFrames = Math.round(BLOCK_S * sampleRate);
  const powers: number[] = [];
  let acc = 0;
  let n = 0;
  let position = await dataOffset(path);
  // An aligned buffer read in whole stereo frames, so it can be viewed as Int16 without copying.
  const buf = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  const pcm = new Int16Array(buf.buffer, buf.byteOffset, CHUNK_BYTES / 2);
  const file = await open(path, 'r');
  try {
    for (;;) {
      if (signal?.aborted) throw new AbortError(undefined, { cause: signal.reason });
      const { bytesRead } = await file.read(buf, 0, CHUNK_BYTES, position);
      const frames = Math.floor(bytesRead / 4);
      if (frames === 0) break;
      position += frames * 4;
      for (let f = 0; f < frames; f++) {
        const m = (pcm[2 * f]! + pcm[2 * f + 1]!) / 65536;
        acc += m * m;
        if (++n === blockFrames) {
          powers.push(acc / n);
          acc = 0;
          n = 0;
        }
      }
    }
  } finally {
    await file.close();
  }
  if (n > 0) powers.push(acc / n);
  const gate = 10 ** (GATE_DB / 10);
  const active = powers.filter((p) => p > gate);
  if (active.length === 0) return -Infinity;
  return 10 * Math.log10(active.reduce((a, b) => a + b, 0) / active.length);
}

/** Byte offset of the samples: after the header chunks up to and including the 'data' chunk header. */
export async function dataOffset(path: string): Promise<number> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    let off = 12;
    while (off + 8 <= bytesRead) {
      const id = head.toString('ascii', off, off + 4);
      const size = head.readUInt32LE(off + 4);
      if (id === 'data') return off + 8;
      off += 8 + size + (size & 1);
    }
    throw new Error(`${path}: no WAV data chunk in the first 4 KiB`);
  } finally {
    await file.close();
  }
}
