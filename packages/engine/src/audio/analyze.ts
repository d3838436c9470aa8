/**
 * The whole analysis: PCM → spectral features → onset envelope → tempo → beats → downbeats →
 * sections, plus the loudness curve. Pure and synchronous for PCM; `analyzeAudio` decodes a file
 * (SoX or ffmpeg) while it runs the STFT.
 */
import { refineTempoSegments, trackBeats, tempoFromBeats } from './beats.js';
import { decodeToPcm } from './decode.js';
import { estimateDownbeats } from './downbeats.js';
import { energyCurve } from './energy.js';
import { onsetStrength } from './onset.js';
import { segmentSections, type SectionLabel } from './sections.js';
import { SpectralStream, type SpectralFeatures, type SpectralOptions } from './spectrogram.js';
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
  /**
   * `analyzeAudio`: 1 keeps the whole STFT on the calling thread; by default a helper thread
   * computes part of it when the machine has a second CPU (same result either way).
   */
  threads?: 1 | 2;
  /** `analyzeAudio`: how the STFT was shared out (for tests and benchmarks). */
  onStats?: (stats: { stftFrames: number; stftHelperFrames: number }) => void;
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

/** STFT layout for a sample rate: ~43 frames/s and ~93 ms windows whatever the rate. */
function stftOptions(sampleRate: number): SpectralOptions {
  const scale = sampleRate / 22050;
  const nfft = Math.pow(2, Math.max(8, Math.round(Math.log2(2048 * scale))));
  const hop = Math.max(16, Math.round(512 * scale));
  return { nfft, hop };
}

export function analyzePcm(samples: Float32Array, sampleRate: number, opts: AnalyzeOptions = {}): AudioAnalysis {
  if (!(sampleRate > 0)) throw new RangeError(`sampleRate must be positive, got ${sampleRate}`);
  // Never let a NaN/Infinity from the caller poison every stage (v·0 is NaN only for those).
  let bad = 0;
  for (let i = 0; i < samples.length; i++) bad += samples[i]! * 0;
  if (Number.isNaN(bad)) samples = samples.map((v) => (Number.isFinite(v) ? v : 0));
  checkAbort(opts.signal);
  const feats = new SpectralStream(sampleRate, stftOptions(sampleRate), samples.length).finish(samples);
  return analyzeFeatures(samples, sampleRate, feats, opts);
}

/** Everything after the STFT (the samples are only read again to refine beat times). */
function analyzeFeatures(samples: Float32Array, sampleRate: number, feats: SpectralFeatures, opts: AnalyzeOptions): AudioAnalysis {
  const duration = samples.length / sampleRate;
  const { signal } = opts;
  checkAbort(signal);
  const energy = energyCurve(samples, sampleRate);
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

/**
 * Decode `file` (SoX for plain WAV/AIFF/FLAC, else ffmpeg) and analyse it. The STFT runs on the
 * PCM as it streams out of the decoder, so decoding and the spectral analysis overlap (the
 * decoder on one core, this on another).
 */
export async function analyzeAudio(file: string, opts: AnalyzeOptions = {}): Promise<AudioAnalysis> {
  const sampleRate = opts.sampleRate ?? 22050;
  const parallel = opts.threads !== 1;
  let stft: SpectralStream | undefined;
  try {
    const pcm = await decodeToPcm(file, {
      sampleRate,
      shared: parallel,
      ...(opts.signal ? { signal: opts.signal } : {}),
      // SoX for plain WAV/AIFF/FLAC (much faster to start), unless a specific ffmpeg was asked for.
      ...(opts.ffmpegPath ? { ffmpegPath: opts.ffmpegPath } : { decoder: 'auto' as const }),
      onData: (samples, available) => {
        stft ??= new SpectralStream(sampleRate, stftOptions(sampleRate), samples.length, parallel);
        stft.push(samples, available);
      },
    });
    checkAbort(opts.signal);
    // decodeToPcm already replaced any non-finite sample.
    const feats = (stft ?? new SpectralStream(pcm.sampleRate, stftOptions(pcm.sampleRate))).finish(pcm.samples);
    opts.onStats?.({ stftHelperFrames: stft?.helperFrames ?? 0, stftFrames: feats.nFrames });
    return analyzeFeatures(pcm.samples, pcm.sampleRate, feats, opts);
  } finally {
    stft?.dispose();
  }
}
