/** Render a MIDI file to a 44.1 kHz 16-bit stereo WAV with fluidsynth's fast file renderer. */
import type { StemName } from '../composer/types.js';
import { runTool } from './process.js';

export interface FluidsynthOptions {
  midi: string;
  out: string;
  soundfont: string;
  stem: StemName;
  signal?: AbortSignal;
  /** fluidsynth executable (default `fluidsynth` on PATH). */
  fluidsynth?: string;
}

/** Master gain per stem: FluidR3 drum kits are hot, pads and pianos quiet; the mix sets levels later. */
const GAIN: Record<StemName, number> = { drums: 0.45, bass: 0.6, harmony: 0.5, lead: 0.6 };

export async function renderMidiWithFluidsynth(opts: FluidsynthOptions): Promise<void> {
  const dry = opts.stem === 'drums' || opts.stem === 'bass';
  await runTool(opts.fluidsynth ?? 'fluidsynth', [
    '-n', // no MIDI input driver
    '-i', // no shell
    '-q',
    // Only the samples the song uses are read from the 140 MB soundfont (about 3× faster start).
    '-o', 'synth.dynamic-sample-loading=1',
    // Reverb on the harmony and lead only (kick and bass stay dry and tight); chorus off: each
    // costs ~0.15 CPU-s per stem-minute and the chorus is barely audible in a mix.
    '-R', dry ? '0' : '1',
    '-C', '0',
    '-r', '44100',
    '-g', String(GAIN[opts.stem]),
    '-O', 's16',
    '-T', 'wav',
    '-F', opts.out,
    opts.soundfont,
    opts.midi,
  ], { signal: opts.signal });
}
