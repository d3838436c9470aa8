/** Harmony instruments: each genre part plays the voice-led chord voicings in its own rhythm. */
import { note, pushNote, sectionVelocity, type ArrangementContext } from './arrangement.js';
import type { InstrumentTrack, NoteEvent } from './types.js';

export function writeHarmony(ctx: ArrangementContext, voicings: number[][]): InstrumentTrack[] {
  const { timing } = ctx;
  return ctx.profile.harmony.map((part, index) => {
    const notes: NoteEvent[] = [];
    const sustained = part.comp.length === 1;
    for (const section of ctx.sections) {
      // Intros and outros: rhythm parts hold the chord; pads carry on as always.
      const comp = section.label === 'intro' || section.label === 'outro' ? [[0, 16] as [number, number]] : part.comp;
      const velocity = sectionVelocity(ctx, section, part.level);
      for (let bar = section.startBar; bar < section.startBar + section.bars; bar++) {
        const voicing = voicings[bar]!;
        for (const [step, length] of comp) {
          const t = timing.at(bar, step);
          const duration = length * timing.stepSeconds * (sustained ? 1 : 0.92);
          for (const midi of voicing) pushNote(notes, note(ctx, t, duration, midi, velocity * (step === 0 ? 1 : 0.9)));
        }
      }
    }
    const last = ctx.sections[ctx.sections.length - 1]!;
    for (const midi of voicings[timing.bars]!) pushNote(notes, note(ctx, timing.at(timing.bars), timing.durationSeconds, midi, sectionVelocity(ctx, last, part.level)));
    return { stem: 'harmony' as const, name: part.name, channel: 2 + index, program: part.program, notes };
  });
}
