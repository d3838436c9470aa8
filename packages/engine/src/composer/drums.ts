/**
 * Drum track: the genre's patterns (one variant for verses, another for choruses), sparse intros,
 * fills in the last bar of each section, crashes on section starts, seeded ghost notes.
 */
import { pushNote, note, sectionVelocity, type ArrangementContext } from './arrangement.js';
import type { PlannedSection } from './form.js';
import type { DrumPattern } from './profiles.js';
import { STEPS_PER_BAR } from './timing.js';
import type { InstrumentTrack, NoteEvent } from './types.js';

export const DRUM_KEYS = { kick: 36, sideStick: 37, snare: 38, clap: 39, closedHat: 42, pedalHat: 44, openHat: 46, crash: 49, ride: 51, lowTom: 45, midTom: 47, highMidTom: 48, highTom: 50 } as const;

const HIT_SECONDS = 0.12;

export function writeDrums(ctx: ArrangementContext): InstrumentTrack {
  const { profile, rng, timing } = ctx;
  const verseGroove = rng.pick(profile.drums);
  const chorusGroove = profile.drums.length > 1 ? rng.pick(profile.drums.filter((p) => p !== verseGroove)) : verseGroove;
  const fillStyle = rng.int(3);
  const notes: NoteEvent[] = [];
  ctx.sections.forEach((section, index) => {
    const groove = section.label === 'chorus' || section.label === 'instrumental' ? chorusGroove : verseGroove;
    const isLast = index === ctx.sections.length - 1;
    for (let i = 0; i < section.bars; i++) {
      const bar = section.startBar + i;
      const fillSteps = !isLast && i === section.bars - 1 && section.bars >= 2 ? (section.bars >= 8 && fillStyle !== 0 ? 8 : 4) : 0;
      writeBar(ctx, notes, section, bar, i, groove, fillSteps, fillStyle);
    }
    if (section.label !== 'intro' || section.startBar > 0) {
      pushNote(notes, note(ctx, timing.at(section.startBar), HIT_SECONDS, DRUM_KEYS.crash, sectionVelocity(ctx, section, 1.05)));
    }
  });
  // The final chord: kick and crash together.
  const last = ctx.sections[ctx.sections.length - 1]!;
  const tail = timing.at(timing.bars);
  pushNote(notes, note(ctx, tail, HIT_SECONDS, DRUM_KEYS.kick, sectionVelocity(ctx, last, 1.1)));
  pushNote(notes, note(ctx, tail, HIT_SECONDS, DRUM_KEYS.crash, sectionVelocity(ctx, last, 1.1)));
  notes.sort((a, b) => a.time - b.time || a.midi - b.midi);
  return { stem: 'drums', name: 'Standard Drum Kit', channel: 9, program: 0, notes };
}

function writeBar(ctx: ArrangementContext, out: NoteEvent[], section: PlannedSection, bar: number, barInSection: number, groove: DrumPattern, fillSteps: number, fillStyle: number): void {
  const { timing, rng } = ctx;
  const base = sectionVelocity(ctx, section, 1);
  const sparse = section.label === 'intro' && barInSection < Math.ceil(section.bars / 2);
  const hatKey = groove.ride ? DRUM_KEYS.ride : DRUM_KEYS.closedHat;
  const snareKey = groove.snareKey ?? DRUM_KEYS.snare;
  const fillStart = STEPS_PER_BAR - fillSteps;
  const ghost = rng.next() < 0.3 ? (rng.next() < 0.5 ? 7 : 15) : -1;
  const hatLevel = section.label === 'chorus' ? 0.8 : 0.7;
  const loud = section.label === 'chorus' || section.label === 'instrumental';
  for (let step = 0; step < STEPS_PER_BAR; step++) {
    const t = timing.at(bar, step);
    const level = base * (step % 4 === 0 ? 1 : 0.85);
    hit(ctx, out, groove.hat, step, t, hatKey, level * hatLevel);
    hit(ctx, out, groove.pedalHat, step, t, DRUM_KEYS.pedalHat, level * 0.6);
    if (sparse) {
      if (step === 0) pushNote(out, note(ctx, t, HIT_SECONDS, DRUM_KEYS.kick, base));
      continue;
    }
    if (step >= fillStart) {
      writeFillStep(ctx, out, t, step - fillStart, fillSteps, fillStyle, base);
      continue;
    }
    hit(ctx, out, groove.kick, step, t, DRUM_KEYS.kick, level);
    hit(ctx, out, groove.snare, step, t, snareKey, level * 0.95);
    if (loud) hit(ctx, out, groove.openHat, step, t, DRUM_KEYS.openHat, level * 0.7);
    if (step === ghost && groove.snare[step] === '.') pushNote(out, note(ctx, t, HIT_SECONDS, snareKey, base * 0.4));
  }
}

/** A pattern hit at this step: 'x' at the given velocity, 'o' as a ghost note. */
function hit(ctx: ArrangementContext, out: NoteEvent[], pattern: string | undefined, step: number, t: number, key: number, velocity: number): void {
  const c = pattern?.[step];
  if (c === 'x' || c === 'o') pushNote(out, note(ctx, t, HIT_SECONDS, key, velocity * (c === 'o' ? 0.55 : 1)));
}

/** Fills: 16th snare roll, toms down the kit, or snare/tom trade — always on the 16th grid. */
function writeFillStep(ctx: ArrangementContext, out: NoteEvent[], t: number, i: number, length: number, style: number, base: number): void {
  const toms = [DRUM_KEYS.highTom, DRUM_KEYS.highMidTom, DRUM_KEYS.midTom, DRUM_KEYS.lowTom];
  const rise = 0.7 + (0.35 * i) / Math.max(1, length - 1);
  let key: number;
  if (style === 0) key = DRUM_KEYS.snare;
  else if (style === 1) key = toms[Math.min(toms.length - 1, Math.floor((i / length) * toms.length))]!;
  else key = i % 2 === 0 ? DRUM_KEYS.snare : toms[Math.floor(i / 2) % toms.length]!;
  pushNote(out, note(ctx, t, HIT_SECONDS, key, base * rise));
  if (i === 0) pushNote(out, note(ctx, t, HIT_SECONDS, DRUM_KEYS.kick, base));
}
