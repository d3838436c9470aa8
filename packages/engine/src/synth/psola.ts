/**
 * TD-PSOLA: re-pitch and re-time a short utterance while keeping its formants (the voice's
 * character). Grains two source periods long, centred on pitch marks, are overlap-added at the
 * target period; the voiced core absorbs the time stretch while the consonants around it keep
 * their natural length.
 */
import { trackPitch, type PitchTrack } from './pitch.js';

export interface PsolaTarget {
  /** Output length in samples (same rate as the input). */
  length: number;
  /** Target fundamental (Hz) of the voiced part; null keeps the natural pitch (spoken word). */
  hz: number | null;
  /** Vibrato depth in cents (peak), faded in after `vibratoDelay` seconds. */
  vibratoCents?: number;
  vibratoHz?: number;
  vibratoDelay?: number;
}

interface Mark {
  pos: number;
  period: number;
  voiced: boolean;
}

/** Pseudo-period of unvoiced stretches (5 ms). */
const UNVOICED_PERIOD_S = 0.005;

export function psola(x: Float32Array, sampleRate: number, target: PsolaTarget, track?: PitchTrack): Float32Array {
  const out = new Float32Array(Math.max(0, Math.round(target.length)));
  if (out.length === 0 || x.length === 0) return out;
  const marks = pitchMarks(x, sampleRate, track ?? trackPitch(x, sampleRate));
  const firstVoiced = marks.findIndex((m) => m.voiced);
  let lastVoiced = -1;
  for (let i = marks.length - 1; i >= 0; i--) if (marks[i]!.voiced) { lastVoiced = i; break; }

  // Piecewise-linear map from output time to source time.
  const L = x.length;
  const M = out.length;
  let map: (t: number) => number = (t) => (t * L) / M;
  if (firstVoiced >= 0) {
    const v0 = marks[firstVoiced]!.pos;
    const v1 = marks[lastVoiced]!.pos;
    const head = v0;
    const tail = L - v1;
    if (head + tail < 0.6 * M && v1 > v0) {
      const coreOut = M - head - tail;
      map = (t) => (t < head ? t : t < head + coreOut ? v0 + ((t - head) * (v1 - v0)) / coreOut : v1 + (t - head - coreOut));
    }
  }

  const positions = marks.map((m) => m.pos);
  const depth = target.vibratoCents ?? 0;
  const rate = target.vibratoHz ?? 5.5;
  const delay = target.vibratoDelay ?? 0.25;
  let t = 0;
  while (t < M) {
    const mark = marks[nearest(positions, map(t))]!;
    let step = mark.period;
    if (mark.voiced && target.hz !== null) {
      const sec = t / sampleRate;
      const ramp = Math.min(1, Math.max(0, (sec - delay) / 0.3));
      const cents = depth * ramp * Math.sin(2 * Math.PI * rate * sec);
      step = sampleRate / (target.hz * 2 ** (cents / 1200));
    }
    addGrain(out, x, mark, t, Math.min(2, Math.max(0.5, step / mark.period)));
    t += step;
  }
  return out;
}

/** Hann-windowed grain of ±period around the mark, added at fractional output position t. */
function addGrain(out: Float32Array, x: Float32Array, mark: Mark, t: number, gain: number): void {
  const P = Math.max(2, Math.round(mark.period));
  const base = Math.floor(t);
  const frac = t - base;
  for (let j = -P + 1; j < P; j++) {
    const o = base + j;
    if (o < 0 || o >= out.length) continue;
    const s = mark.pos + j - frac;
    const i = Math.floor(s);
    if (i < 0 || i + 1 >= x.length) continue;
    const f = s - i;
    const v = x[i]! * (1 - f) + x[i + 1]! * f;
    out[o]! += v * gain * 0.5 * (1 + Math.cos((Math.PI * j) / P));
  }
}

/** Analysis marks: one per period on waveform peaks when voiced, every 5 ms otherwise. */
function pitchMarks(x: Float32Array, sampleRate: number, track: PitchTrack): Mark[] {
  const marks: Mark[] = [];
  const unvoiced = UNVOICED_PERIOD_S * sampleRate;
  const f0At = (pos: number): number => track.f0[Math.min(track.f0.length - 1, Math.max(0, Math.round(pos / track.hop)))] ?? 0;
  let pos = 0;
  let prevVoiced = false;
  while (pos < x.length) {
    const f = f0At(pos);
    if (f > 0) {
      const period = sampleRate / f;
      // Snap to the largest sample near the predicted position, so every grain is centred on the
      // same point of its period (a whole period on the first mark of a voiced run).
      const lo = Math.max(0, Math.round(prevVoiced ? pos - period / 4 : pos));
      const hi = Math.min(x.length - 1, Math.round(prevVoiced ? pos + period / 4 : pos + period));
      let best = lo;
      for (let i = lo + 1; i <= hi; i++) if (x[i]! > x[best]!) best = i;
      marks.push({ pos: best, period, voiced: true });
      pos = best + period;
      prevVoiced = true;
    } else {
      marks.push({ pos: Math.round(pos), period: unvoiced, voiced: false });
      pos += unvoiced;
      prevVoiced = false;
    }
  }
  return marks;
}

function nearest(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && v - sorted[lo - 1]! < sorted[lo]! - v ? lo - 1 : lo;
}
