/** Bars and 16th-note steps → seconds, with the genre's swing. */
export interface SongTiming {
  bpm: number;
  beatSeconds: number;
  barSeconds: number;
  stepSeconds: number;
  /** Whole bars before the final-chord tail. */
  bars: number;
  durationSeconds: number;
  /** Seconds at which the last note must have ended (the synth's release fits after it). */
  lastNoteEnd: number;
  swing: { amount: number; unit: 8 | 16 };
  /** Seconds of a position: bar index plus a (possibly > 15) 16th step within it. */
  at(bar: number, step?: number): number;
}

export const STEPS_PER_BAR = 16;
/** The final chord rings for at least this long after the last full bar. */
export const MIN_TAIL_SECONDS = 1;
export const END_MARGIN_SECONDS = 0.5;

export function songTiming(bpm: number, durationSeconds: number, swing: { amount: number; unit: 8 | 16 }): SongTiming {
  const beatSeconds = 60 / bpm;
  const barSeconds = beatSeconds * 4;
  const stepSeconds = beatSeconds / 4;
  const bars = Math.max(1, Math.floor((durationSeconds - MIN_TAIL_SECONDS) / barSeconds));
  const at = (bar: number, step = 0): number => {
    const whole = Math.floor(step);
    let t = (bar * STEPS_PER_BAR + step) * stepSeconds;
    // Swing delays the off-beat of each pair (8ths: steps 2, 6, …; 16ths: odd steps).
    if (swing.amount > 0 && whole === step) {
      if (swing.unit === 8 && whole % 4 === 2) t += swing.amount * 2 * stepSeconds;
      if (swing.unit === 16 && whole % 2 === 1) t += swing.amount * stepSeconds;
    }
    return t;
  };
  return { bpm, beatSeconds, barSeconds, stepSeconds, bars, durationSeconds, lastNoteEnd: durationSeconds - END_MARGIN_SECONDS, swing, at };
}
