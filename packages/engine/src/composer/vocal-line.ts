/**
 * Lyrics → sung syllables on the form: lyric blocks are matched to sections by label (a chorus
 * written once is sung in every chorus; untagged stanzas flow through verses and choruses), lines
 * get phrases of whole bars, syllables go on the grid and get pitches. Each distinct chorus block
 * is composed once and repeated, so every chorus carries the same hook.
 */
import { seededRandom } from '../musicvideo/random.js';
import type { PlannedSection } from './form.js';
import type { BarChord } from './harmony.js';
import type { LyricSection } from './lyrics-parse.js';
import { assignPitches, phraseRhythm, type MelodyRegister, type PhraseNote } from './melody.js';
import { round } from './arrangement.js';
import { lineWords, type SungWord } from './syllables.js';
import type { SongTiming } from './timing.js';
import type { LyricLine, SectionLabel, VocalSyllable } from './types.js';

export interface VocalLineInput {
  sections: PlannedSection[];
  blocks: LyricSection[];
  timing: SongTiming;
  chords: BarChord[];
  scale: number[];
  tonicPc: number;
  slotsPerBeat: 2 | 4;
  registerShift: number;
  seed: number;
}

export interface VocalLineResult {
  syllables: VocalSyllable[];
  lyrics: LyricLine[];
  warnings: string[];
  /** Which sections were sung (indices into `sections`). */
  sungSections: number[];
}

const REGISTER_CENTER: Partial<Record<SectionLabel, number>> = { verse: 62, pre_chorus: 64, chorus: 67, bridge: 65, intro: 62, outro: 62 };
export const VOCAL_LOW = 57;
export const VOCAL_HIGH = 74;

interface PreparedLine {
  text: string;
  words: SungWord[];
  stresses: boolean[];
}

interface ComposedLine {
  line: PreparedLine;
  notes: PhraseNote[];
}

/** Which lyric block each section sings (undefined: the section is instrumental). */
export function assignBlocks(sections: PlannedSection[], blocks: LyricSection[]): { assigned: Array<LyricSection | undefined>; unused: LyricSection[] } {
  const queue = (label: SectionLabel): LyricSection[] => blocks.filter((b) => b.label === label && b.lines.length > 0);
  const verses = queue('verse');
  const choruses = queue('chorus');
  const pre = queue('pre_chorus');
  const bridges = queue('bridge');
  const intros = queue('intro');
  const outros = queue('outro');
  const used = new Set<LyricSection>();
  let chorusCount = 0;
  let preCount = 0;
  const assigned = sections.map((section): LyricSection | undefined => {
    let block: LyricSection | undefined;
    switch (section.label) {
      case 'verse':
        block = verses.shift();
        break;
      case 'chorus':
        // Without any chorus in the lyrics, untagged stanzas keep flowing through the choruses.
        block = choruses.length ? choruses[chorusCount++ % choruses.length] : sections.length === 1 ? verses.shift() ?? bridges.shift() : verses.shift();
        break;
      case 'pre_chorus':
        block = pre.length ? pre[preCount++ % pre.length] : undefined;
        break;
      case 'bridge':
        block = bridges.shift();
        break;
      case 'intro':
        block = intros.shift();
        break;
      case 'outro':
        block = outros.shift();
        break;
      default:
        block = undefined;
    }
    if (block) used.add(block);
    return block;
  });
  // A chorus repeated in the text but sung fewer times is not missing anything.
  const sungText = new Set([...used].map((b) => b.lines.join('\n')));
  return { assigned, unused: blocks.filter((b) => b.lines.length > 0 && !used.has(b) && !sungText.has(b.lines.join('\n'))) };
}

function prepare(lines: string[]): PreparedLine[] {
  return lines
    .map((text) => {
      const words = lineWords(text);
      return { text, words, stresses: words.flatMap((w) => w.syllables.map((s) => s.stressed)) };
    })
    .filter((l) => l.stresses.length > 0);
}

/** Bars for each line: comfortable length if the section allows, else the tightest fit; lines that still do not fit are dropped. */
function layoutLines(lines: PreparedLine[], sectionBars: number, slotsPerBeat: number): { bars: number[]; dropped: number } {
  const comfortable = lines.map((l) => Math.min(4, Math.ceil((Math.ceil(l.stresses.length / (slotsPerBeat * 0.75)) + 1) / 4)));
  const tight = lines.map((l) => Math.max(1, Math.ceil((l.stresses.length / (slotsPerBeat * 2) + 1) / 4)));
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  let bars: number[];
  if (sum(comfortable) <= sectionBars) bars = comfortable.slice();
  else if (sum(tight) <= sectionBars) {
    bars = tight.slice();
    for (let i = 0; i < bars.length && sum(bars) < sectionBars; i++) bars[i] = Math.min(comfortable[i]!, bars[i]! + (sectionBars - sum(bars)));
  } else {
    bars = [];
    for (const t of tight) {
      if (sum(bars) + t > sectionBars) break;
      bars.push(t);
    }
  }
  // Spread spare bars evenly so lines keep their place in the phrase structure.
  const spare = sectionBars - sum(bars);
  if (bars.length && spare > 0) {
    const each = Math.floor(spare / bars.length);
    bars = bars.map((b) => Math.min(b + each, 4 * Math.max(1, b)));
  }
  return { bars, dropped: lines.length - bars.length };
}

function composeBlock(section: PlannedSection, block: LyricSection, input: VocalLineInput, blockIndex: number, warnings: string[]): ComposedLine[] {
  const rng = seededRandom((input.seed ^ Math.imul(blockIndex + 1, 0x9e3779b1)) >>> 0);
  const lines = prepare(block.lines);
  const { bars, dropped } = layoutLines(lines, section.bars, input.slotsPerBeat);
  if (dropped > 0) warnings.push(`${dropped} lyric line(s) of a ${section.label} did not fit its ${section.bars} bars and are not sung`);
  const center = (REGISTER_CENTER[section.label] ?? 63) + input.registerShift;
  const register: MelodyRegister = { low: VOCAL_LOW + input.registerShift, high: VOCAL_HIGH + input.registerShift, center };
  const out: ComposedLine[] = [];
  let bar = 0;
  let previous: number | undefined;
  bars.forEach((lineBars, i) => {
    const line = lines[i]!;
    let slotsPerBeat = input.slotsPerBeat;
    let stresses = line.stresses;
    while (stresses.length > (lineBars * 4 - 1) * slotsPerBeat && slotsPerBeat < 4) slotsPerBeat *= 2;
    const capacity = (lineBars * 4 - 1) * slotsPerBeat;
    if (stresses.length > capacity) {
      warnings.push(`a lyric line is too long to sing in ${lineBars} bar(s); its last ${stresses.length - capacity} syllable(s) are cut`);
      stresses = stresses.slice(0, capacity);
    }
    const notes = phraseRhythm({ bar, bars: lineBars, stresses, slotsPerBeat }, rng);
    const chordAt = (b: number): BarChord => input.chords[Math.min(section.startBar + b, input.chords.length - 1)]!;
    // Alternate lines answer each other a step apart; the section's last line comes home.
    assignPitches(notes, stresses, chordAt, input.scale, register, rng, {
      previous,
      offset: i % 2 === 0 ? 0 : -2,
      endOnTonic: i === bars.length - 1,
      tonicPc: input.tonicPc,
    });
    previous = notes[notes.length - 1]?.midi;
    out.push({ line: { ...line, stresses }, notes });
    bar += lineBars;
  });
  return out;
}

export function writeVocalLine(input: VocalLineInput): VocalLineResult {
  const { timing } = input;
  const warnings: string[] = [];
  const { assigned, unused } = assignBlocks(input.sections, input.blocks);
  const unusedLines = unused.reduce((n, b) => n + b.lines.length, 0);
  if (unusedLines > 0) warnings.push(`${unusedLines} lyric line(s) did not fit the ${Math.round(timing.durationSeconds)} s song form and are not sung`);
  const cache = new Map<LyricSection, ComposedLine[]>();
  const syllables: VocalSyllable[] = [];
  const lyrics: LyricLine[] = [];
  const sungSections: number[] = [];
  input.sections.forEach((section, sectionIndex) => {
    const block = assigned[sectionIndex];
    if (!block) return;
    const blockIndex = input.blocks.indexOf(block);
    let composed = cache.get(block);
    if (!composed) {
      composed = composeBlock(section, block, input, blockIndex, warnings);
      cache.set(block, composed);
    }
    if (composed.length) sungSections.push(sectionIndex);
    for (const { line, notes } of composed) {
      const flat = line.words.flatMap((w, wordIndex) => w.syllables.map((s) => ({ word: w.word, wordIndex, ...s })));
      const lineIndex = lyrics.length;
      const placed: VocalSyllable[] = [];
      for (const n of notes) {
        const syllable = flat[n.index]!;
        const bar = section.startBar + n.bar;
        const time = timing.at(bar, n.step);
        const end = Math.min(timing.at(bar, n.step + n.lengthSteps), timing.lastNoteEnd);
        // A short gap before the next syllable so consonants can be heard.
        const duration = Math.max(0.05, end - time - Math.min(0.04, (end - time) * 0.1));
        if (time + duration > timing.lastNoteEnd) continue;
        placed.push({ text: syllable.text, word: syllable.word, wordIndex: syllable.wordIndex, lineIndex, time: round(time), duration: round(duration), midi: n.midi, stressed: syllable.stressed });
      }
      if (!placed.length) continue;
      const last = placed[placed.length - 1]!;
      lyrics.push({ time: placed[0]!.time, end: round(last.time + last.duration), text: line.text, section: section.label });
      syllables.push(...placed);
    }
  });
  return { syllables, lyrics, warnings, sungSections };
}
