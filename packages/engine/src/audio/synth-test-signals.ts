/**
 * Synthetic test signals with exact ground truth (beats, downbeats, sections) for tests and
 * benchmarks of the audio analysis. Deterministic: every generator takes a seed.
 */
import { writeWav, type WavFormat } from './wav.js';

export type NoiseKind = 'white' | 'pink';

export interface NoiseSpec {
  kind: NoiseKind;
  /** Signal-to-noise ratio in dB, relative to the RMS of the clean signal. */
  snrDb: number;
}

export interface SynthLayers {
  kick: boolean;
  snare: boolean;
  hats: boolean;
  bass: boolean;
  pad: boolean;
  /** Extra percussion (clap on the backbeat, ride on every beat): a "bigger" arrangement. */
  perc: boolean;
}

export interface SynthSectionSpec {
  label: string;
  bars: number;
  /** Tempo of this section (defaults to the groove's bpm). Changes happen at the bar line. */
  bpm?: number;
  /** Overall level of the section in dB (0 = full). */
  gainDb?: number;
  /** Instruments playing (defaults to the drum groove: kick, snare, hats). */
  layers?: Partial<SynthLayers>;
  /** Chord roots (MIDI note numbers) per bar, cycled; minor triads when `minor` is set. */
  chords?: number[];
  minor?: boolean;
}

export interface SynthOptions {
  sampleRate?: number;
  bpm?: number;
  bars?: number;
  beatsPerBar?: number;
  /** Section structure; overrides `bars` (and `bpm` per section when given). */
  sections?: SynthSectionSpec[];
  noise?: NoiseSpec;
  seed?: number;
  /** Time of the first beat (s). */
  leadInSeconds?: number;
  /** Audio after the last bar (s). */
  tailSeconds?: number;
  /** Gain of the downbeat accent (kick on beat 1), linear. Default 1.6. */
  accent?: number;
}

export interface SynthSection {
  start: number;
  end: number;
  label: string;
  bpm: number;
}

export interface SynthSignal {
  samples: Float32Array;
  sampleRate: number;
  durationSeconds: number;
  beats: number[];
  downbeats: number[];
  beatsPerBar: number;
  sections: SynthSection[];
  /** Internal section boundaries (s): every section start except the first. */
  sectionBoundaries: number[];
}

/** Small deterministic PRNG (mulberry32). */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function noiseBuffer(n: number, rng: () => number, kind: NoiseKind): Float32Array {
  const out = new Float32Array(n);
  if (kind === 'white') {
    for (let i = 0; i < n; i++) out[i] = rng() * 2 - 1;
    return out;
  }
  // Paul Kellet's refined pink-noise filter.
  let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
  for (let i = 0; i < n; i++) {
    const w = rng() * 2 - 1;
    b0 = 0.99886 * b0 + w * 0.0555179;
    b1 = 0.99332 * b1 + w * 0.0750759;
    b2 = 0.969 * b2 + w * 0.153852;
    b3 = 0.8665 * b3 + w * 0.3104856;
    b4 = 0.55 * b4 + w * 0.5329522;
    b5 = -0.7616 * b5 - w * 0.016898;
    out[i] = (b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362) * 0.11;
    b6 = w * 0.115926;
  }
  return out;
}

function rms(x: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s / Math.max(1, x.length));
}

/** Add white or pink noise in place so that the result has the given SNR (dB). */
export function addNoise(samples: Float32Array, snrDb: number, kind: NoiseKind = 'white', seed = 7): Float32Array {
  const sig = rms(samples);
  const noise = noiseBuffer(samples.length, makeRng(seed), kind);
  const nr = rms(noise);
  if (sig === 0 || nr === 0) return samples;
  const g = sig / Math.pow(10, snrDb / 20) / nr;
  for (let i = 0; i < samples.length; i++) samples[i] = samples[i]! + g * noise[i]!;
  return samples;
}

function normalizePeak(samples: Float32Array, peak = 0.9): void {
  let m = 0;
  for (let i = 0; i < samples.length; i++) m = Math.max(m, Math.abs(samples[i]!));
  if (m === 0) return;
  const g = peak / m;
  for (let i = 0; i < samples.length; i++) samples[i] = samples[i]! * g;
}

// ---------------------------------------------------------------------------------------------
// Instruments (one-shot samples rendered once, then mixed at each hit).

function kickSample(sr: number, rng: () => number): Float32Array {
  const n = Math.round(0.3 * sr);
  const out = new Float32Array(n);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const f = 45 + 110 * Math.exp(-t / 0.035);
    phase += (2 * Math.PI * f) / sr;
    out[i] = Math.sin(phase) * Math.exp(-t / 0.14) + 0.3 * (rng() * 2 - 1) * Math.exp(-t / 0.002);
  }
  return out;
}

function snareSample(sr: number, rng: () => number): Float32Array {
  const n = Math.round(0.25 * sr);
  const out = new Float32Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const w = rng() * 2 - 1;
    const hp = w - prev; // first-difference high-pass
    prev = w;
    out[i] = 0.45 * hp * Math.exp(-t / 0.07) + 0.5 * Math.sin(2 * Math.PI * 185 * t) * Math.exp(-t / 0.04);
  }
  return out;
}

function hatSample(sr: number, rng: () => number, decay = 0.015): Float32Array {
  const n = Math.round(Math.min(0.3, decay * 6) * sr);
  const out = new Float32Array(n);
  let p1 = 0;
  let p2 = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const w = rng() * 2 - 1;
    const d1 = w - p1;
    p1 = w;
    const d2 = d1 - p2; // second difference: strong high-pass
    p2 = d1;
    out[i] = 0.5 * d2 * Math.exp(-t / decay);
  }
  return out;
}

function clapSample(sr: number, rng: () => number): Float32Array {
  const n = Math.round(0.2 * sr);
  const out = new Float32Array(n);
  let prev = 0;
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    const w = rng() * 2 - 1;
    const hp = w - prev;
    prev = w;
    // three quick bursts then a tail
    const bursts = t < 0.03 ? Math.exp(-((t * 1000) % 10) / 2.5) : 0;
    out[i] = 0.5 * hp * (bursts + Math.exp(-t / 0.05));
  }
  return out;
}

function toneSample(sr: number, freq: number, seconds: number, harmonics: number[], attack: number, decay: number): Float32Array {
  const n = Math.round(seconds * sr);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    let v = 0;
    for (let h = 0; h < harmonics.length; h++) v += harmonics[h]! * Math.sin(2 * Math.PI * freq * (h + 1) * t);
    const env = Math.min(1, t / attack) * Math.exp(-t / decay) * Math.min(1, (seconds - t) / 0.02);
    out[i] = v * env;
  }
  return out;
}

function mix(dst: Float32Array, src: Float32Array, at: number, gain: number): void {
  const start = Math.max(0, at);
  const end = Math.min(dst.length, at + src.length);
  for (let i = start; i < end; i++) dst[i] = dst[i]! + gain * src[i - at]!;
}

const midiHz = (m: number): number => 440 * Math.pow(2, (m - 69) / 12);

const DRUMS: SynthLayers = { kick: true, snare: true, hats: true, bass: false, pad: false, perc: false };

interface Plan {
  beats: number[];
  downbeats: number[];
  sections: SynthSection[];
  /** Per beat: section index, beat-in-bar, bar index within section, seconds per beat. */
  beatInfo: { section: number; pos: number; bar: number; spb: number }[];
  end: number;
}

function planBeats(opts: SynthOptions, sections: SynthSectionSpec[]): Plan {
  const bpb = opts.beatsPerBar ?? 4;
  const defaultBpm = opts.bpm ?? 120;
  let t = opts.leadInSeconds ?? 0.5;
  const beats: number[] = [];
  const downbeats: number[] = [];
  const out: SynthSection[] = [];
  const beatInfo: Plan['beatInfo'] = [];
  sections.forEach((s, si) => {
    const bpm = s.bpm ?? defaultBpm;
    const spb = 60 / bpm;
    const start = t;
    for (let bar = 0; bar < s.bars; bar++) {
      for (let b = 0; b < bpb; b++) {
        beats.push(t);
        if (b === 0) downbeats.push(t);
        beatInfo.push({ section: si, pos: b, bar, spb });
        t += spb;
      }
    }
    out.push({ start, end: t, label: s.label, bpm });
  });
  return { beats, downbeats, sections: out, beatInfo, end: t };
}

function finish(samples: Float32Array, sr: number, plan: Plan, opts: SynthOptions, bpb: number): SynthSignal {
  normalizePeak(samples, 0.5);
  if (opts.noise) addNoise(samples, opts.noise.snrDb, opts.noise.kind, (opts.seed ?? 1) * 7919 + 13);
  normalizePeak(samples, 0.9);
  return {
    samples,
    sampleRate: sr,
    durationSeconds: samples.length / sr,
    beats: plan.beats,
    downbeats: plan.downbeats,
    beatsPerBar: bpb,
    sections: plan.sections,
    sectionBoundaries: plan.sections.slice(1).map((s) => s.start),
  };
}

/**
 * A drum groove: kick on 1 and 3, snare on 2 and 4, hi-hats on eighths, louder kick on beat 1
 * of every bar. With `sections`, each section may change tempo, level, instruments and chords.
 */
export function synthDrumGroove(opts: SynthOptions = {}): SynthSignal {
  const sr = opts.sampleRate ?? 22050;
  const bpb = opts.beatsPerBar ?? 4;
  const rng = makeRng(opts.seed ?? 1);
  const specs = opts.sections ?? [{ label: 'groove', bars: opts.bars ?? 16, bpm: opts.bpm ?? 120 }];
  const plan = planBeats(opts, specs);
  const total = Math.ceil((plan.end + (opts.tailSeconds ?? 1)) * sr);
  const out = new Float32Array(total);
  const accent = opts.accent ?? 1.6;

  const kick = kickSample(sr, rng);
  const snare = snareSample(sr, rng);
  const hats = [0, 1, 2, 3].map(() => hatSample(sr, rng));
  const clap = clapSample(sr, rng);
  const ride = hatSample(sr, rng, 0.08);
  // Pitched notes repeat (same pitch, same length): render each once.
  const tones = new Map<string, Float32Array>();
  const tone = (freq: number, seconds: number, harmonics: number[], attack: number, decay: number): Float32Array => {
    const key = `${freq.toFixed(3)}:${seconds.toFixed(4)}:${harmonics.join(',')}:${attack}:${decay.toFixed(4)}`;
    let t = tones.get(key);
    if (!t) {
      t = toneSample(sr, freq, seconds, harmonics, attack, decay);
      tones.set(key, t);
    }
    return t;
  };

  for (let i = 0; i < plan.beats.length; i++) {
    const info = plan.beatInfo[i]!;
    const spec = specs[info.section]!;
    const layers: SynthLayers = { ...DRUMS, ...(spec.layers ?? {}) };
    const g = Math.pow(10, (spec.gainDb ?? 0) / 20);
    const at = Math.round(plan.beats[i]! * sr);
    const half = Math.round((plan.beats[i]! + info.spb / 2) * sr);
    const isKickBeat = bpb === 3 ? info.pos === 0 : info.pos % 2 === 0;
    const isSnareBeat = bpb === 3 ? info.pos !== 0 : info.pos % 2 === 1;
    if (layers.kick && isKickBeat) mix(out, kick, at, g * (info.pos === 0 ? accent : 1) * 0.9);
    if (layers.snare && isSnareBeat) mix(out, snare, at, g * 0.7);
    if (layers.hats) {
      mix(out, hats[Math.floor(rng() * 4)]!, at, g * 0.22);
      mix(out, hats[Math.floor(rng() * 4)]!, half, g * 0.16);
    }
    if (layers.perc) {
      if (isSnareBeat) mix(out, clap, at, g * 0.5);
      mix(out, ride, at, g * 0.12);
    }
    const chords = spec.chords ?? [45, 41, 48, 43];
    const root = chords[info.bar % chords.length]!;
    if (layers.bass) {
      const bassNote = tone(midiHz(root - 12 * Math.max(0, Math.floor((root - 40) / 12))), info.spb * 0.9, [1, 0.5, 0.3, 0.15], 0.005, 0.25);
      mix(out, bassNote, at, g * 0.35 * (info.pos === 0 ? 1.2 : 1));
    }
    if (layers.pad && info.pos === 0) {
      const barLen = info.spb * bpb;
      const third = spec.minor ? 3 : 4;
      for (const iv of [12, 12 + third, 19]) {
        const note = tone(midiHz(root + iv), barLen, [1, 0.3, 0.1], 0.08, barLen * 2);
        mix(out, note, at, g * 0.1);
      }
    }
  }
  return finish(out, sr, plan, opts, bpb);
}

/** A metronome: a click on every beat, higher and louder on the downbeat. */
export function synthClickTrack(opts: SynthOptions = {}): SynthSignal {
  const sr = opts.sampleRate ?? 22050;
  const bpb = opts.beatsPerBar ?? 4;
  const specs = opts.sections ?? [{ label: 'clicks', bars: opts.bars ?? 16, bpm: opts.bpm ?? 120 }];
  const plan = planBeats(opts, specs);
  const out = new Float32Array(Math.ceil((plan.end + (opts.tailSeconds ?? 1)) * sr));
  const hi = toneSample(sr, 1500, 0.03, [1], 0.0005, 0.008);
  const lo = toneSample(sr, 1000, 0.03, [1], 0.0005, 0.008);
  for (let i = 0; i < plan.beats.length; i++) {
    const info = plan.beatInfo[i]!;
    const g = Math.pow(10, (specs[info.section]!.gainDb ?? 0) / 20);
    mix(out, info.pos === 0 ? hi : lo, Math.round(plan.beats[i]! * sr), g * (info.pos === 0 ? 1 : 0.6));
  }
  return finish(out, sr, plan, opts, bpb);
}

/** The default song form: quiet intro, verses, loud choruses with extra layers, bridge, outro. */
export const DEFAULT_SONG_STRUCTURE: SynthSectionSpec[] = [
  { label: 'intro', bars: 8, gainDb: -12, layers: { snare: false, hats: true, pad: true }, chords: [57, 53] , minor: true },
  { label: 'verse', bars: 8, gainDb: -5, layers: { bass: true }, chords: [45, 43, 41, 43], minor: true },
  { label: 'chorus', bars: 8, gainDb: 0, layers: { bass: true, pad: true, perc: true }, chords: [53, 48, 55, 57] },
  { label: 'verse', bars: 8, gainDb: -5, layers: { bass: true }, chords: [45, 43, 41, 43], minor: true },
  { label: 'chorus', bars: 8, gainDb: 0, layers: { bass: true, pad: true, perc: true }, chords: [53, 48, 55, 57] },
  { label: 'bridge', bars: 8, gainDb: -7, layers: { hats: false, bass: true, pad: true }, chords: [50, 52], minor: false },
  { label: 'chorus', bars: 8, gainDb: 0, layers: { bass: true, pad: true, perc: true }, chords: [53, 48, 55, 57] },
  { label: 'outro', bars: 8, gainDb: -13, layers: { snare: false, hats: false, pad: true }, chords: [57, 53], minor: true },
];

/** A structured song (default form above) built from the drum groove plus bass and pads. */
export function synthStructuredSong(opts: SynthOptions = {}): SynthSignal {
  return synthDrumGroove({ ...opts, sections: opts.sections ?? DEFAULT_SONG_STRUCTURE });
}

export function synthSilence(seconds: number, sampleRate = 22050): Float32Array {
  return new Float32Array(Math.round(seconds * sampleRate));
}

export function synthWhiteNoise(seconds: number, opts: { sampleRate?: number; seed?: number; amplitude?: number; kind?: NoiseKind } = {}): Float32Array {
  const sr = opts.sampleRate ?? 22050;
  const x = noiseBuffer(Math.round(seconds * sr), makeRng(opts.seed ?? 3), opts.kind ?? 'white');
  const a = opts.amplitude ?? 0.3;
  for (let i = 0; i < x.length; i++) x[i] = x[i]! * a;
  return x;
}

/** Exponential sine sweep from f0 to f1 Hz. */
export function synthSineSweep(seconds: number, opts: { sampleRate?: number; f0?: number; f1?: number; amplitude?: number } = {}): Float32Array {
  const sr = opts.sampleRate ?? 22050;
  const f0 = opts.f0 ?? 50;
  const f1 = opts.f1 ?? 8000;
  const a = opts.amplitude ?? 0.5;
  const n = Math.round(seconds * sr);
  const x = new Float32Array(n);
  const k = Math.log(f1 / f0);
  for (let i = 0; i < n; i++) {
    const t = i / sr;
    // phase = 2π f0 T/k (e^{k t/T} − 1)
    x[i] = a * Math.sin(((2 * Math.PI * f0 * seconds) / k) * (Math.exp((k * t) / seconds) - 1));
  }
  return x;
}

/**
 * Rubato "piano": plucked harmonic tones at irregular times (gaps drawn uniformly from
 * minGap..maxGap seconds), random pitches. No steady pulse.
 */
export function synthRubato(seconds: number, opts: { sampleRate?: number; seed?: number; minGap?: number; maxGap?: number } = {}): Float32Array {
  const sr = opts.sampleRate ?? 22050;
  const rng = makeRng(opts.seed ?? 5);
  const out = new Float32Array(Math.round(seconds * sr));
  const minGap = opts.minGap ?? 0.15;
  const maxGap = opts.maxGap ?? 1.3;
  for (let t = 0.3; t < seconds - 1; t += minGap + rng() * (maxGap - minGap)) {
    const midi = 48 + Math.floor(rng() * 30);
    const note = toneSample(sr, midiHz(midi), 1.2, [1, 0.5, 0.25, 0.12], 0.003, 0.4);
    mix(out, note, Math.round(t * sr), 0.2 + 0.2 * rng());
  }
  normalizePeak(out, 0.8);
  return out;
}

/** Write a synthetic signal to a WAV file (16-bit PCM by default). */
export async function writeSynthWav(path: string, signal: { samples: Float32Array; sampleRate: number }, format: WavFormat = 'pcm16'): Promise<void> {
  await writeWav(path, signal.samples, signal.sampleRate, format);
}
