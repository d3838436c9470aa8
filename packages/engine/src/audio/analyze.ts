/**
 * The whole analysis: PCM → spectral features → onset envelope → tempo → beats → downbeats →
 * sections, plus the loudness curve. Pure and synchronous for PCM; `analyzeAudio` decodes a file
 * with ffmpeg first.
 */
import { refineTempoSegments, trackBeats, tempoFromBeats } from './beats.js';
import { decodeToPcm } from './decode.js';
import { estimateDownbeats } from './downbeats.js';
import { energyCurve } from './energy.js';
import { onsetStrength } from './onset.js';
import { segmentSections, type SectionLabel } from './sections.js';
import { computeSpectralFeatures } from './spectrogram.js';
import { estimateTempo, type TempoSegment } from './tempo.js';

export interface AudioSection {
  start: number;
  end: number;
  label: SectionLabel;
  /** 0..1 mean loudness of the section. */
  energy: number;
}

export interface AudioAnalysis {
  durationSeconds: number;
  /** Dominant tempo (BPM); 0 when `hasBeat` is false. */
  tempoBpm: number;
  /** 0..1. */
  tempoConfidence: number;
  /** Beat times (s); empty when `hasBeat` is false. */
  beats: number[];
  /** Downbeat times (s), a subset of `beats`. */
  downbeats: number[];
  /** 4 (default) or 3. */
  beatsPerBar: number;
  sections: AudioSection[];
  /** Loudness 0..1 at `hz` values per second (values[k] covers [k/hz, (k+1)/hz)). */
  energy: { hz: number; values: number[] };
  /** False for speech, silence, noise, rubato: no steady pulse to cut on. */
  hasBeat: boolean;
  /** Tempo per segment when the tempo changes (one entry when steady; empty without a beat). */
  tempoSegments: TempoSegment[];
}

export interface AnalyzeOptions {
  signal?: AbortSignal;
  /** Decoding sample rate for `analyzeAudio` (default 22050). */
  sampleRate?: number;
  ffmpegPath?: string;
  /** Minimum periodicity for `hasBeat` (default 0.2). */
  minPeriodicity?: number;
}

const round = (x: number, d = 4): number => Math.round(x * 10 ** d) / 10 ** d;

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) {
    const r: unknown = signal.reason;
    if (r instanceof Error) throw r;
    const e = new Error('The operation was aborted');
    e.name = 'AbortError';
    throw e;
  }
}

export function analyzePcm(samples: Float32Array, sampleRate: number, opts: AnalyzeOptions = {}): AudioAnalysis {
  if (!(sampleRate > 0)) throw new RangeError(`sampleRate must be positive, got ${sampleRate}`);
  // Never let a NaN/Infinity from the caller poison every stage.
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]!)) {
      samples = samples.map((v) => (Number.isFinite(v) ? v : 0));
      break;
    }
  }
  const duration = samples.length / sampleRate;
  // Keep ~43 frames/s and ~93 ms windows whatever the sample rate.
  const scale = sampleRate / 22050;
  const nfft = Math.pow(2, Math.max(8, Math.round(Math.log2(2048 * scale))));
  const hop = Math.max(16, Math.round(512 * scale));
  const { signal } = opts;
  checkAbort(signal);
  const energy = energyCurve(samples, sampleRate);
  const feats = computeSpectralFeatures(samples, sampleRate, { nfft, hop });
  checkAbort(signal);
  const env = onsetStrength(feats);
  const tempo = estimateTempo(env);
  checkAbort(signal);

  let hasBeat = tempo.periodicity >= (opts.minPeriodicity ?? 0.2) && tempo.segments.length > 0;
  let beats: number[] = [];
  let downbeats: number[] = [];
  let beatsPerBar = 4;
  let tempoSegments: TempoSegment[] = [];
  let tempoBpm = 0;
  if (hasBeat) {
    beats = trackBeats(samples, sampleRate, env, tempo);
    if (beats.length < 8) {
      hasBeat = false;
      beats = [];
    }
  }
  checkAbort(signal);
  if (hasBeat) {
    tempoSegments = refineTempoSegments(beats, tempo.segments);
    let longest = tempoSegments[0]!;
    for (const s of tempoSegments) if (s.end - s.start > longest.end - longest.start) longest = s;
    tempoBpm = longest.bpm || tempoFromBeats(beats) || tempo.bpm;
    const db = estimateDownbeats(beats, env, feats, duration);
    downbeats = db.downbeats;
    beatsPerBar = db.beatsPerBar;
  }
  checkAbort(signal);
  const sections = segmentSections({ features: feats, energy, duration, beats, downbeats, beatsPerBar });
  return {
    durationSeconds: round(duration, 4),
    tempoBpm: round(tempoBpm, 2),
    tempoConfidence: round(hasBeat ? tempo.confidence : Math.min(tempo.confidence, 0.2), 3),
    beats: beats.map((t) => round(t)),
    downbeats: downbeats.map((t) => round(t)),
    beatsPerBar,
    sections: sections.map((s) => ({ start: round(s.start), end: round(s.end), label: s.label, energy: round(s.energy, 3) })),
    energy: { hz: energy.hz, values: energy.values.map((v) => round(v, 3)) },
    hasBeat,
    tempoSegments: tempoSegments.map((s) => ({ start: round(s.start), end: round(s.end), bpm: round(s.bpm, 2) })),
  };
}

/** Decode `file` with ffmpeg and analyse it. */
export async function analyzeAudio(file: string, opts: AnalyzeOptions = {}): Promise<AudioAnalysis> {
  const pcm = await decodeToPcm(file, {
    sampleRate: opts.sampleRate ?? 22050,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.ffmpegPath ? { ffmpegPath: opts.ffmpegPath } : {}),
  });
  checkAbort(opts.signal);
  return analyzePcm(pcm.samples, pcm.sampleRate, opts);
}
