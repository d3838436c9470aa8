/** ComposedSong tracks → Standard MIDI Files (@tonejs/midi), one per stem or one for the song. */
import { createRequire } from 'node:module';
import type { ComposedSong, InstrumentTrack } from '../composer/types.js';

type TonejsMidi = typeof import('@tonejs/midi');
// The package's Node entry is a UMD bundle whose named exports ESM cannot see; require() can.
const { Midi } = createRequire(import.meta.url)('@tonejs/midi') as TonejsMidi;

export const DRUM_CHANNEL = 9;

/** One MIDI file holding the given tracks, at the song's tempo (note times stay in seconds). */
export function tracksToMidi(tracks: readonly InstrumentTrack[], song: Pick<ComposedSong, 'tempoBpm' | 'timeSignature'>): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(song.tempoBpm);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [...song.timeSignature] });
  midi.header.update();
  const used = new Set<number>();
  for (const track of tracks) {
    const t = midi.addTrack();
    t.name = track.name;
    t.channel = track.stem === 'drums' ? DRUM_CHANNEL : melodicChannel(track.channel, used);
    used.add(t.channel);
    t.instrument.number = t.channel === DRUM_CHANNEL ? 0 : clampInt(track.program, 0, 127);
    for (const n of track.notes) {
      if (!(n.duration > 0) || !(n.time >= 0) || !Number.isFinite(n.midi)) continue;
      t.addNote({
        midi: clampInt(n.midi, 0, 127),
        time: n.time,
        duration: n.duration,
        velocity: Math.min(1, Math.max(0.01, n.velocity)),
      });
    }
  }
  return midi.toArray();
}

/** Channel and program of every track in a MIDI file, as a player would apply them. */
export function readMidiPrograms(bytes: Uint8Array): Array<{ channel: number; program: number; notes: number }> {
  return new Midi(bytes).tracks.map((t) => ({ channel: t.channel, program: t.instrument.number, notes: t.notes.length }));
}

/** The declared channel when it is free; else the first free one. Never 9, which is percussion in GM. */
function melodicChannel(channel: number, used: ReadonlySet<number>): number {
  const c = clampInt(channel, 0, 15);
  if (c !== DRUM_CHANNEL && !used.has(c)) return c;
  for (let k = 0; k < 16; k++) if (k !== DRUM_CHANNEL && !used.has(k)) return k;
  return c === DRUM_CHANNEL ? 10 : c;
}

function clampInt(x: number, lo: number, hi: number): number {
  return Number.isFinite(x) ? Math.min(hi, Math.max(lo, Math.round(x))) : lo;
}
