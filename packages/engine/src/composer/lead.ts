/**
 * Instrumental lead for songs without vocals: two-bar phrases of seeded "pseudo-syllables" run
 * through the same rhythm and pitch rules as sung lines; the chorus phrase set is composed once
 * and repeated, so the hook comes back in every chorus.
 */
import { seededRandom, type Random } from '../musicvideo/random.js';
import { note, pushNote, sectionVelocity, type ArrangementContext } from './arrangement.js';
import type { PlannedSection } from './form.js';
import type { BarChord } from './harmony.js';
import { assignPitches, phraseRhythm, type PhraseNote } from './melody.js';
import type { InstrumentTrack, NoteEvent, SectionLabel } from './types.js';

const LEAD_SECTIONS = new Set<SectionLabel>(['verse', 'pre_chorus', 'chorus', 'bridge', 'instrumental']);
const LEAD_CENTER: Partial<Record<SectionLabel, number>> = { verse: 69, pre_chorus: 71, chorus: 74, bridge: 72, instrumental: 74 };

function pseudoStresses(rng: Random, bars: number): boolean[] {
  const count = Math.max(2, Math.round(bars * (2.5 + rng.next() * 2)));
  const start = rng.next() < 0.7;
  return Array.from({ length: count }, (_, i) => (i % 2 === 0) === start);
}

function composeSection(ctx: ArrangementContext, section: PlannedSection, scale: number[], tonicPc: number, seed: number): PhraseNote[] {
  const rng = seededRandom(seed);
  const notes: PhraseNote[] = [];
  const phraseBars = section.bars >= 2 ? 2 : 1;
  const chordAt = (b: number): BarChord => ctx.chords[Math.min(section.startBar + b, ctx.chords.length - 1)]!;
  let previous: number | undefined;
  // Phrases alternate between a motif and its answer; the answer repeats the motif's rhythm.
  let motif: boolean[] | undefined;
  for (let bar = 0; bar + phraseBars <= section.bars; bar += phraseBars) {
    const stresses = motif && (bar / phraseBars) % 2 === 1 ? motif : pseudoStresses(rng, phraseBars);
    motif = stresses;
    const phrase = phraseRhythm({ bar, bars: phraseBars, stresses, slotsPerBeat: 2 }, rng);
    const center = (LEAD_CENTER[section.label] ?? 70) + (bar / phraseBars) % 2;
    assignPitches(phrase, stresses, chordAt, scale, { low: 62, high: 84, center }, rng, { previous, endOnTonic: bar + phraseBars * 2 > section.bars, tonicPc });
    previous = phrase[phrase.length - 1]?.midi;
    notes.push(...phrase);
  }
  return notes;
}

export function writeLead(ctx: ArrangementContext, scale: number[], tonicPc: number, seed: number): InstrumentTrack {
  const notes: NoteEvent[] = [];
  let chorusHook: PhraseNote[] | undefined;
  ctx.sections.forEach((section, index) => {
    if (!LEAD_SECTIONS.has(section.label)) return;
    let phrase: PhraseNote[];
    if (section.label === 'chorus') phrase = chorusHook ??= composeSection(ctx, section, scale, tonicPc, (seed ^ 0xc40) >>> 0);
    else phrase = composeSection(ctx, section, scale, tonicPc, (seed + index * 7919) >>> 0);
    const velocity = sectionVelocity(ctx, section, 0.9);
    for (const n of phrase) {
      const bar = section.startBar + n.bar;
      const t = ctx.timing.at(bar, n.step);
      const end = ctx.timing.at(bar, n.step + n.lengthSteps);
      pushNote(notes, note(ctx, t, (end - t) * 0.92, n.midi, velocity * (n.step % 4 === 0 ? 1 : 0.85)));
    }
  });
  return { stem: 'lead', name: ctx.profile.lead.name, channel: 0, program: ctx.profile.lead.program, notes };
}
