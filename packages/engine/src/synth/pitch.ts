/**
 * Frame-wise fundamental frequency by normalised autocorrelation (on a 2× decimated copy, which
 * keeps 70–600 Hz voices well resolved at a quarter of the cost), with parabolic peak refinement.
 */

export interface PitchTrack {
  /** Samples (at the input rate) between frame centres; frame k is centred at k * hop. */
  hop: number;
  /** Hz per frame; 0 = unvoiced or silent. */
  f0: Float32Array;
}

export interface PitchOptions {
  minHz?: number;
  maxHz?: number;
  hopSeconds?: number;
  /** Normalised autocorrelation a frame needs to count as voiced (default 0.6). */
  voicing?: number;
  /** Frames quieter than this, relative to the loudest frame, are unvoiced (default −35 dB). */
  silenceDb?: number;
}

export function trackPitch(x: Float32Array, sampleRate: number, opts: PitchOptions = {}): PitchTrack {
  const minHz = opts.minHz ?? 70;
  const maxHz = opts.maxHz ?? 600;
  const hop = Math.max(1, Math.round((opts.hopSeconds ?? 0.01) * sampleRate));
  const voicing = opts.voicing ?? 0.6;
  const frames = Math.max(0, Math.floor(x.length / hop) + 1);
  const f0 = new Float32Array(frames);
  if (x.length === 0) return { hop, f0 };

  // 2× decimation after a [1 2 1]/4 low-pass.
  const sr = sampleRate / 2;
  const y = new Float32Array(Math.floor(x.length / 2));
  for (let i = 0; i < y.length; i++) {
    const a = x[2 * i - 1] ?? 0;
    const b = x[2 * i]!;
    const c = x[2 * i + 1] ?? 0;
    y[i] = 0.25 * a + 0.5 * b + 0.25 * c;
  }
  const minLag = Math.max(2, Math.floor(sr / maxHz));
  const maxLag = Math.ceil(sr / minHz);
  const win = 2 * maxLag;

  const rms = new Float32Array(frames);
  let loudest = 0;
  for (let k = 0; k < frames; k++) {
    const c = Math.floor((k * hop) / 2);
    let e = 0;
    const s0 = Math.max(0, c - maxLag);
    const s1 = Math.min(y.length, c + maxLag);
    for (let i = s0; i < s1; i++) e += y[i]! * y[i]!;
    rms[k] = s1 > s0 ? Math.sqrt(e / (s1 - s0)) : 0;
    loudest = Math.max(loudest, rms[k]!);
  }
  const floor = loudest * 10 ** ((opts.silenceDb ?? -35) / 20);

  const r = new Float64Array(maxLag + 2);
  for (let k = 0; k < frames; k++) {
    if (rms[k]! <= floor || loudest === 0) continue;
    const start = Math.floor((k * hop) / 2) - maxLag;
    if (start < 0 || start + win + maxLag > y.length) continue;
    let e0 = 0;
    for (let j = 0; j < win; j++) e0 += y[start + j]! * y[start + j]!;
    let eLag = 0;
    for (let j = minLag; j < minLag + win; j++) eLag += y[start + j]! * y[start + j]!;
    let best = 0;
    for (let lag = minLag; lag <= maxLag; lag++) {
      let acc = 0;
      for (let j = 0; j < win; j++) acc += y[start + j]! * y[start + j + lag]!;
      r[lag] = eLag > 0 && e0 > 0 ? acc / Math.sqrt(e0 * eLag) : 0;
      if (r[lag]! > best) best = r[lag]!;
      const out = y[start + lag]!;
      const inn = y[start + lag + win] ?? 0;
      eLag += inn * inn - out * out;
    }
    if (best < voicing) continue;
    // The first strong peak, not the global one: a subharmonic scores almost as high as the
    // true period and would halve the pitch.
    for (let lag = minLag + 1; lag < maxLag; lag++) {
      const v = r[lag]!;
      if (v >= 0.9 * best && v >= r[lag - 1]! && v >= r[lag + 1]!) {
        const a = r[lag - 1]!;
        const c = r[lag + 1]!;
        const den = a - 2 * v + c;
        const shift = den < 0 ? (0.5 * (a - c)) / den : 0;
        f0[k] = sr / (lag + Math.max(-0.5, Math.min(0.5, shift)));
        break;
      }
    }
  }
  return { hop, f0 };
}

/** Median of the voiced frames, or 0 when none is voiced. */
export function medianPitch(track: PitchTrack): number {
  const voiced = [...track.f0].filter((f) => f > 0).sort((a, b) => a - b);
  return voiced.length ? voiced[Math.floor(voiced.length / 2)]! : 0;
}

export function midiToHz(midi: number): number {
  return 440 * 2 ** ((midi - 69) / 12);
}

export function hzToMidi(hz: number): number {
  return 69 + 12 * Math.log2(hz / 440);
}
