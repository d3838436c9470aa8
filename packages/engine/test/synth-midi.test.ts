import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealFFT, hannWindow } from '../src/audio/fft.js';
import type { InstrumentTrack } from '../src/composer/types.js';
import { buildFixtureSong, decodeToPcm, findSoundfont, readMidiPrograms, tracksToMidi } from '../src/index.js';
import { renderMidiWithFluidsynth } from '../src/synth/fluidsynth.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'clipmix-synth-midi-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const tempo = { tempoBpm: 120, timeSignature: [4, 4] as [number, number] };
const note = (midi: number) => [{ time: 0, duration: 1.5, midi, velocity: 0.9 }];

describe('tracksToMidi', () => {
  it('writes every track with its channel and GM program; drums on channel 9', () => {
    const song = buildFixtureSong();
    const programs = readMidiPrograms(tracksToMidi(song.tracks, song));
    expect(programs).toEqual([
      { channel: 9, program: 0, notes: song.tracks[0]!.notes.length },
      { channel: 1, program: 33, notes: song.tracks[1]!.notes.length },
      { channel: 0, program: 0, notes: song.tracks[2]!.notes.length },
    ]);
  });

  it('gives clashing tracks their own channels and keeps pitched tracks off the percussion channel', () => {
    const tracks: InstrumentTrack[] = [
      { stem: 'harmony', name: 'Piano', channel: 0, program: 0, notes: note(60) },
      { stem: 'harmony', name: 'Strings', channel: 0, program: 48, notes: note(64) },
      { stem: 'lead', name: 'Flute', channel: 9, program: 73, notes: note(72) },
      { stem: 'drums', name: 'Kit', channel: 3, program: 5, notes: note(36) },
    ];
    const programs = readMidiPrograms(tracksToMidi(tracks, tempo));
    expect(programs.map((p) => p.program)).toEqual([0, 48, 73, 0]);
    const channels = programs.map((p) => p.channel);
    expect(new Set(channels).size).toBe(4);
    expect(channels.slice(0, 3)).not.toContain(9);
    expect(channels[3]).toBe(9);
  });
});

describe('fluidsynth rendering', () => {
  it('finds the Debian GM soundfont', () => {
    expect(findSoundfont()).toMatch(/\/usr\/share\/sounds\/sf2\/(FluidR3_GM|default-GM)\.sf2$/);
  });

  it('plays the program of the channel: the same note as piano and as bass has different spectra', async () => {
    const soundfont = findSoundfont()!;
    const centroid = async (program: number, name: string): Promise<number> => {
      const midi = join(dir, `${name}.mid`);
      const wav = join(dir, `${name}.wav`);
      await writeFile(midi, tracksToMidi([{ stem: 'harmony', name, channel: 0, program, notes: note(48) }], tempo));
      await renderMidiWithFluidsynth({ midi, out: wav, soundfont, stem: 'harmony' });
      const { samples, sampleRate } = await decodeToPcm(wav, { sampleRate: 22050 });
      return spectralCentroid(samples.subarray(0, sampleRate), sampleRate);
    };
    const [piano, bass, pianoAgain] = await Promise.all([centroid(0, 'piano'), centroid(33, 'bass'), centroid(0, 'piano2')]);
    expect(Math.abs(piano - pianoAgain) / piano).toBeLessThan(0.02);
    expect(Math.abs(piano - bass) / Math.min(piano, bass)).toBeGreaterThan(0.3);
  });
});

function spectralCentroid(x: Float32Array, sampleRate: number): number {
  const n = 2048;
  const fft = new RealFFT(n);
  const win = hannWindow(n);
  const power = new Float64Array(fft.bins);
  const sum = new Float64Array(fft.bins);
  for (let off = 0; off + n <= x.length; off += n / 2) {
    fft.power(x, power, off, win);
    for (let k = 0; k < power.length; k++) sum[k]! += power[k]!;
  }
  let num = 0;
  let den = 0;
  for (let k = 0; k < sum.length; k++) {
    const mag = Math.sqrt(sum[k]!);
    num += mag * ((k * sampleRate) / n);
    den += mag;
  }
  return num / den;
}
