/**
 * ComposedSong → Standard MIDI File (type 1) via @tonejs/midi: tempo, 4/4, key signature, one
 * track per instrument with its channel and program, and a "Vocal" melody track whose syllables
 * are written as lyric meta events (karaoke players show them).
 */
import * as tonejsMidi from '@tonejs/midi';
import type { ComposedSong } from './types.js';

// @tonejs/midi ships CommonJS: Node's ESM loader exposes it as `default`, bundlers as named exports.
type MidiModule = typeof tonejsMidi;
const midiModule = tonejsMidi as MidiModule & { default?: MidiModule };
const Midi = midiModule.Midi ?? midiModule.default!.Midi;

export const VOCAL_MIDI_CHANNEL = 5;
/** GM "Voice Oohs": a stand-in timbre for the sung line. */
export const VOCAL_MIDI_PROGRAM = 53;

/** Major key names by pitch class, and their signatures (sharps > 0, flats < 0). */
const KEY_NAMES = ['C', 'Db', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];
const KEY_ACCIDENTALS = [0, -5, 2, -3, 4, -1, 6, 1, -4, 3, -2, 5];
const PC: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };

function pitchClass(name: string): number {
  let pc = PC[name.charAt(0).toUpperCase()] ?? 0;
  for (const c of name.slice(1)) pc += c === '#' ? 1 : c === 'b' ? -1 : 0;
  return ((pc % 12) + 12) % 12;
}

export function writeMidi(song: ComposedSong): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(song.tempoBpm);
  midi.header.timeSignatures.push({ ticks: 0, timeSignature: [song.timeSignature[0], song.timeSignature[1]] });
  // SMF stores a key as its accidentals: a minor key is written with its relative major's signature.
  const tonic = pitchClass(song.key.tonic);
  const signature = song.key.mode === 'minor' ? (tonic + 3) % 12 : tonic;
  midi.header.keySignatures.push({ ticks: 0, key: KEY_NAMES[signature]!, scale: song.key.mode });
  midi.header.name = `ClipMix ${song.genre} ${song.mood}`;
  midi.header.update();

  for (const track of song.tracks) {
    const t = midi.addTrack();
    t.name = track.name;
    t.channel = track.channel;
    t.instrument.number = track.channel === 9 ? 0 : track.program;
    for (const n of track.notes) t.addNote({ midi: n.midi, time: n.time, duration: n.duration, velocity: Math.max(1 / 127, n.velocity) });
  }
  if (song.vocals.syllables.length) {
    const vocal = midi.addTrack();
    vocal.name = 'Vocal';
    vocal.channel = VOCAL_MIDI_CHANNEL;
    vocal.instrument.number = VOCAL_MIDI_PROGRAM;
    const syllables = song.vocals.syllables;
    syllables.forEach((s, i) => {
      vocal.addNote({ midi: s.midi, time: s.time, duration: s.duration, velocity: s.stressed ? 0.85 : 0.7 });
      // Karaoke convention: a syllable continuing its word ends with "-", a word ends with a space.
      const next = syllables[i + 1];
      const continues = next !== undefined && next.lineIndex === s.lineIndex && next.wordIndex === s.wordIndex && next.word === s.word;
      midi.header.meta.push({ type: 'lyrics', text: continues ? `${s.text}-` : `${s.text} `, ticks: midi.header.secondsToTicks(s.time) });
    });
  }
  return withKeySignature(midi.toArray(), KEY_ACCIDENTALS[signature]!);
}

/**
 * @tonejs/midi 2.0 writes the key signature's accidentals as index + 7 instead of index - 7, so
 * the byte is set here: the conductor track's only FF 59 02 (key signature) meta event.
 */
function withKeySignature(bytes: Uint8Array, accidentals: number): Uint8Array {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0x59 && bytes[i + 2] === 0x02) {
      bytes[i + 3] = accidentals & 0xff;
      break;
    }
  }
  return bytes;
}

