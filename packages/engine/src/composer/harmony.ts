/**
 * Chord plan: one progression per section kind (chosen by the seed) resolved with tonal, one chord
 * per bar (two bars at fast tempos), ending on the tonic; plus close voice-led voicings.
 */
import { Chord, Note, Progression } from 'tonal';
import type { Random } from '../musicvideo/random.js';
import type { PlannedSection } from './form.js';
import type { ProgressionSet } from './profiles.js';
import type { SongKey } from './request.js';
import type { SectionLabel } from './types.js';

export interface BarChord {
  /** Index of the bar; the final tail chord has index === bar count. */
  bar: number;
  symbol: string;
  /** Pitch classes (0–11) of the chord, root first. */
  pcs: number[];
  root: number;
}

const PROGRESSION_KIND: Record<SectionLabel, keyof ProgressionSet> = {
  intro: 'verse',
  verse: 'verse',
  pre_chorus: 'bridge',
  chorus: 'chorus',
  bridge: 'bridge',
  instrumental: 'chorus',
  outro: 'chorus',
};

const chordCache = new Map<string, { pcs: number[]; root: number }>();

export function chordInfo(symbol: string): { pcs: number[]; root: number } {
  let info = chordCache.get(symbol);
  if (!info) chordCache.set(symbol, (info = readChord(symbol)));
  return { pcs: info.pcs.slice(), root: info.root };
}

function readChord(symbol: string): { pcs: number[]; root: number } {
  const chord = Chord.get(symbol);
  const pcs = chord.notes.map((n) => Note.chroma(n)!).filter((c) => c !== undefined);
  const root = Note.chroma(chord.tonic ?? chord.notes[0] ?? 'C') ?? pcs[0] ?? 0;
  return { pcs, root };
}

export function planChords(sections: PlannedSection[], totalBars: number, key: SongKey, sets: ProgressionSet, barsPerChord: 1 | 2, rng: Random): BarChord[] {
  const chosen: Record<keyof ProgressionSet, string[]> = {
    verse: rng.pick(sets.verse),
    chorus: rng.pick(sets.chorus),
    bridge: rng.pick(sets.bridge),
  };
  const resolved = Object.fromEntries(
    Object.entries(chosen).map(([kind, numerals]) => [kind, Progression.fromRomanNumerals(key.tonic, numerals)]),
  ) as Record<keyof ProgressionSet, string[]>;
  const out: BarChord[] = [];
  for (const section of sections) {
    const symbols = resolved[PROGRESSION_KIND[section.label]];
    for (let i = 0; i < section.bars; i++) {
      const symbol = symbols[Math.floor(i / barsPerChord) % symbols.length]!;
      out.push({ bar: section.startBar + i, symbol, ...chordInfo(symbol) });
    }
  }
  const tonic = key.mode === 'minor' ? `${key.tonic}m` : key.tonic;
  out.push({ bar: totalBars, symbol: tonic, ...chordInfo(tonic) });
  return out;
}

/** Four-note voicing per chord in [low, high], each chosen to move the voices least from the last. */
export function voiceLead(chords: Array<{ pcs: number[]; root: number }>, low = 52, high = 72): number[][] {
  const center = (low + high) / 2;
  let previous: number[] | undefined;
  return chords.map((chord) => {
    const candidates = voicingCandidates(fourPcs(chord.pcs), low, high);
    let best = candidates[0]!;
    let bestCost = Infinity;
    for (const v of candidates) {
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      // Movement from the previous voicing, plus a pull back to the middle of the register.
      const cost = (previous ? v.reduce((sum, n, i) => sum + Math.abs(n - previous![i]!), 0) : 0) + Math.abs(mean - center) * 0.5;
      if (cost < bestCost) {
        bestCost = cost;
        best = v;
      }
    }
    previous = best;
    return best;
  });
}

/** Triads double the root; chords with more than four notes drop the fifth, then extensions. */
function fourPcs(pcs: number[]): number[] {
  if (pcs.length === 0) return [0, 4, 7, 0];
  if (pcs.length === 1) return [pcs[0]!, pcs[0]!, pcs[0]!, pcs[0]!];
  if (pcs.length === 2) return [pcs[0]!, pcs[1]!, pcs[0]!, pcs[1]!];
  if (pcs.length === 3) return [pcs[0]!, pcs[1]!, pcs[2]!, pcs[0]!];
  if (pcs.length === 4) return pcs.slice();
  return [pcs[0]!, pcs[1]!, pcs[3]!, pcs[4]!];
}

const candidateCache = new Map<string, number[][]>();

function voicingCandidates(pcs: number[], low: number, high: number): number[][] {
  const key = `${pcs.join(',')}|${low}|${high}`;
  let found = candidateCache.get(key);
  if (!found) candidateCache.set(key, (found = enumerateVoicings(pcs, low, high)));
  return found;
}

function enumerateVoicings(pcs: number[], low: number, high: number): number[][] {
  const options = pcs.map((pc) => {
    const notes: number[] = [];
    for (let m = low; m <= high; m++) if (((m % 12) + 12) % 12 === pc) notes.push(m);
    return notes;
  });
  const out: number[][] = [];
  const walk = (i: number, acc: number[]): void => {
    if (i === options.length) {
      const sorted = [...acc].sort((a, b) => a - b);
      const distinct = new Set(sorted).size === sorted.length;
      if (distinct && sorted[sorted.length - 1]! - sorted[0]! <= 16) out.push(sorted);
      return;
    }
    for (const n of options[i]!) walk(i + 1, [...acc, n]);
  };
  walk(0, []);
  if (out.length === 0) out.push(pcs.map((pc, i) => low + pc + (i > 0 && pc <= pcs[0]! ? 12 : 0)).sort((a, b) => a - b));
  return out;
}
