/**
 * Phrase → melody notes. Rhythm from `placeSyllables`; pitch chosen note by note: chord tones on
 * beats, stressed syllables and phrase ends; scale steps (passing tones) in between; an arch-shaped
 * contour around a register centre; small intervals preferred; everything inside [low, high].
 */
import { Scale } from 'tonal';
import type { Random } from '../musicvideo/random.js';
import type { BarChord } from './harmony.js';
import type { SongKey } from './request.js';
import { placeSyllables } from './rhythm.js';
import { STEPS_PER_BAR } from './timing.js';

export interface PhraseNote {
  /** Bars from the start of the section. */
  bar: number;
  /** 16th step inside the bar. */
  step: number;
  lengthSteps: number;
  midi: number;
  /** Index of the syllable (or pseudo-syllable) this note carries. */
  index: number;
}

export interface PhraseSpec {
  /** First bar of the phrase, relative to the section. */
  bar: number;
  bars: number;
  stresses: boolean[];
  slotsPerBeat: number;
}

export interface MelodyRegister {
  low: number;
  high: number;
  center: number;
}

export function scalePcs(key: SongKey): number[] {
  const notes = Scale.get(`${key.tonic} ${key.mode === 'minor' ? 'aeolian' : 'major'}`).notes;
  return notes.map((n) => pcOf(n));
}

function pcOf(note: string): number {
  const letters: Record<string, number> = { C: 0, D: 2, E: 4, F: 5, G: 7, A: 9, B: 11 };
  let pc = letters[note.charAt(0)] ?? 0;
  for (const c of note.slice(1)) pc += c === '#' ? 1 : c === 'b' ? -1 : 0;
  return ((pc % 12) + 12) % 12;
}

/** The key's scale bent to the chord: a scale tone a semitone off a chord tone yields to it. */
export function chordScale(scale: number[], chord: number[]): number[] {
  const out = new Set(scale);
  for (const c of chord) {
    if (out.has(c)) continue;
    out.delete((c + 1) % 12);
    out.delete((c + 11) % 12);
    out.add(c);
  }
  return [...out];
}

/** Rhythm of a phrase; beats are strong. Returns notes without pitch (midi 0). */
export function phraseRhythm(spec: PhraseSpec, rng: Random): PhraseNote[] {
  const stepsPerSlot = 4 / spec.slotsPerBeat;
  // One beat of rest closes every phrase.
  const slots = (spec.bars * 4 - 1) * spec.slotsPerBeat;
  const placed = placeSyllables(spec.stresses, slots, spec.slotsPerBeat, rng, spec.slotsPerBeat * 2);
  return placed.map((p, index) => {
    const abs = p.slot * stepsPerSlot;
    return { bar: spec.bar + Math.floor(abs / STEPS_PER_BAR), step: abs % STEPS_PER_BAR, lengthSteps: p.length * stepsPerSlot, midi: 0, index };
  });
}

export function assignPitches(
  notes: PhraseNote[],
  stresses: boolean[],
  chordAt: (bar: number) => BarChord,
  scale: number[],
  register: MelodyRegister,
  rng: Random,
  opts: { previous?: number; endOnTonic?: boolean; tonicPc?: number; offset?: number } = {},
): void {
  let previous = opts.previous;
  const offset = opts.offset ?? 0;
  const shape = rng.int(4);
  notes.forEach((n, i) => {
    const chord = chordAt(n.bar);
    const position = notes.length > 1 ? i / (notes.length - 1) : 0;
    const final = i === notes.length - 1;
    const strong = n.step % 4 === 0 || stresses[n.index] === true || final || n.lengthSteps >= 4;
    const target = register.center + offset + contour(shape, position) - (final ? 2 : 0);
    let pool = strong ? chord.pcs : chordScale(scale, chord.pcs);
    if (final && opts.endOnTonic && opts.tonicPc !== undefined && chord.pcs.includes(opts.tonicPc)) pool = [opts.tonicPc];
    let best = register.center;
    let bestCost = Infinity;
    for (let m = register.low; m <= register.high; m++) {
      if (!pool.includes(m % 12)) continue;
      const cost = (previous === undefined ? 0 : leapCost(Math.abs(m - previous))) + Math.abs(m - target) * 0.5 + rng.next() * 1.2;
      if (cost < bestCost) {
        bestCost = cost;
        best = m;
      }
    }
    n.midi = best;
    previous = best;
  });
}

/** Steps and small skips are cheap, repeats a little dull, big leaps expensive. */
function leapCost(leap: number): number {
  if (leap === 0) return 1.4;
  if (leap <= 2) return 0.2;
  if (leap <= 4) return 0.7;
  if (leap <= 7) return 0.7 + (leap - 4) * 0.5;
  return 4 + leap - 7;
}

/** Phrase contours in semitones over position 0..1: arch, rise, fall, valley. */
function contour(shape: number, p: number): number {
  switch (shape) {
    case 0:
      return Math.sin(Math.PI * p) * 4;
    case 1:
      return -2 + p * 5;
    case 2:
      return 3 - p * 5;
    default:
      return 2 - Math.sin(Math.PI * p) * 4;
  }
}
