/** What the drum, bass and harmony writers share: timing, form, chords, genre and the seed. */
import type { Random } from '../musicvideo/random.js';
import type { PlannedSection } from './form.js';
import type { BarChord } from './harmony.js';
import { SECTION_ENERGY, type GenreProfile } from './profiles.js';
import type { SongTiming } from './timing.js';
import type { NoteEvent } from './types.js';

export interface ArrangementContext {
  timing: SongTiming;
  sections: PlannedSection[];
  /** One chord per bar, then the final tail chord at index timing.bars. */
  chords: BarChord[];
  profile: GenreProfile;
  /** Mood dynamics multiplier. */
  dynamics: number;
  rng: Random;
}

export function sectionVelocity(ctx: ArrangementContext, section: PlannedSection, level: number): number {
  return clampVelocity(SECTION_ENERGY[section.label] * ctx.dynamics * level);
}

export function clampVelocity(v: number): number {
  return Math.min(1, Math.max(0.05, Math.round(v * 1000) / 1000));
}

/** A note clipped so it ends before the song's end margin; undefined when nothing is left of it. */
export function note(ctx: ArrangementContext, time: number, duration: number, midi: number, velocity: number): NoteEvent | undefined {
  const end = Math.min(time + duration, ctx.timing.lastNoteEnd);
  if (time < 0 || end - time < 0.02) return undefined;
  return { time: round(time), duration: round(end - time), midi, velocity: clampVelocity(velocity) };
}

export function round(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}

export function pushNote(out: NoteEvent[], n: NoteEvent | undefined): void {
  if (n) out.push(n);
}
