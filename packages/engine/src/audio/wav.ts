import { writeFile } from 'node:fs/promises';

export type WavFormat = 'pcm16' | 'float32';

/** Encode mono samples (nominally −1..1) as a RIFF/WAVE file. */
export function encodeWav(samples: Float32Array, sampleRate: number, format: WavFormat = 'pcm16'): Buffer {
  const bytesPerSample = format === 'pcm16' ? 2 : 4;
  const dataBytes = samples.length * bytesPerSample;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(format === 'pcm16' ? 1 : 3, 20); // 1 = PCM, 3 = IEEE float
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * bytesPerSample, 28);
  buf.writeUInt16LE(bytesPerSample, 32);
  buf.writeUInt16LE(bytesPerSample * 8, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  if (format === 'pcm16') {
    for (let i = 0, o = 44; i < samples.length; i++, o += 2) {
      const v = Math.max(-1, Math.min(1, samples[i]!));
      buf.writeInt16LE(Math.round(v * 32767), o);
    }
  } else {
    for (let i = 0, o = 44; i < samples.length; i++, o += 4) buf.writeFloatLE(samples[i]!, o);
  }
  return buf;
}

/** Write mono samples to a WAV file. */
export async function writeWav(
  path: string,
  samples: Float32Array,
  sampleRate: number,
  format: WavFormat = 'pcm16',
): Promise<void> {
  await writeFile(path, encodeWav(samples, sampleRate, format));
}
