/** Bass line: chord roots in the genre's rhythm, with fifths, octaves, thirds and approach notes. */
import { note, pushNote, sectionVelocity, type ArrangementContext } from './arrangement.js';
import type { BassStep } from './profiles.js';
import type { InstrumentTrack, NoteEvent } from './types.js';

/** Root placed in E1–A2 (28–45): low enough to sit under the harmony, high enough to be heard. */
export function bassRoot(pc: number): number {
  const m = 36 + pc;
  return m > 45 ? m - 12 : m;
}

export function writeBass(ctx: ArrangementContext): InstrumentTrack {
  const { timing, profile } = ctx;
  const notes: NoteEvent[] = [];
  for (const section of ctx.sections) {
    const simple = section.label === 'intro' || section.label === 'outro';
    const pattern: BassStep[] = simple ? [[0, 'R', 8], [8, '5', 8]] : profile.bass.pattern;
    const velocity = sectionVelocity(ctx, section, 0.95);
    for (let bar = section.startBar; bar < section.startBar + section.bars; bar++) {
      const chord = ctx.chords[bar]!;
      const next = ctx.chords[bar + 1] ?? chord;
      const root = bassRoot(chord.root);
      for (const [step, degree, length] of pattern) {
        const midi = degreeNote(degree, root, chord.pcs, bassRoot(next.root));
        const t = timing.at(bar, step);
        pushNote(notes, note(ctx, t, length * timing.stepSeconds * 0.92, midi, velocity * (step === 0 ? 1 : 0.88)));
      }
    }
  }
  const tail = ctx.chords[timing.bars]!;
  const last = ctx.sections[ctx.sections.length - 1]!;
  pushNote(notes, note(ctx, timing.at(timing.bars), timing.durationSeconds, bassRoot(tail.root), sectionVelocity(ctx, last, 1)));
  return { stem: 'bass', name: profile.bass.name, channel: 1, program: profile.bass.program, notes };
}

function degreeNote(degree: BassStep[1], root: number, pcs: number[], nextRoot: number): number {
  switch (degree) {
    case 'R':
      return root;
    case '5':
      return root + 7 <= 50 ? root + 7 : root - 5;
    case '8':
      return root + 12;
    case '3': {
      const third = pcs[1];
      if (third === undefined) return root;
      const up = root + ((third - (root % 12) + 12) % 12);
      return up;
    }
    case 'A':
      // A chromatic step into the next chord's root, from below (or above when it would repeat).
      return nextRoot - 1 === root ? nextRoot + 1 : nextRoot - 1;
  }
}
