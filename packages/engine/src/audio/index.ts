// Public surface of the audio analysis. Low-level helpers (FFT, WAV writer, …) stay reachable by
// deep import (`@clipmix/engine/audio/fft`) so their generic names cannot collide with other
// engine modules in the package index.
export { analyzeAudio, analyzePcm, type AnalyzeOptions, type AudioAnalysis, type AudioSection } from './analyze.js';
export { decodeToPcm, AudioDecodeError, type DecodeOptions, type DecodedPcm } from './decode.js';
export { computeSpectralFeatures, type SpectralFeatures, type SpectralOptions } from './spectrogram.js';
export { onsetStrength, refineOnsetTimes, type OnsetEnvelope, type OnsetOptions } from './onset.js';
export { estimateTempo, type TempoEstimate, type TempoOptions, type TempoSegment as AudioTempoSegment } from './tempo.js';
export { trackBeats, trackBeatFrames, tempoFromBeats, refineTempoSegments, type BeatTrackOptions } from './beats.js';
export { estimateDownbeats, type DownbeatOptions, type DownbeatResult } from './downbeats.js';
export {
  segmentSections,
  type SectionLabel as AudioSectionLabel,
  type SectionInput as SectionSegmentationInput,
  type SectionOptions as SectionSegmentationOptions,
} from './sections.js';
export { energyCurve, type EnergyCurve as AudioEnergyCurve, type EnergyOptions as AudioEnergyOptions } from './energy.js';
export { fMeasure as eventFMeasure, type MatchResult as EventMatchResult } from './metrics.js';
export * as audioTestSignals from './synth-test-signals.js';
