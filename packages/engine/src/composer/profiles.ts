/**
 * Genre and mood data: tempo ranges, drum patterns, instrument programs (General MIDI),
 * chord progressions (roman numerals, resolved with tonal) and swing.
 */
import type { Genre, Mood, SectionLabel } from './types.js';

/** 16 steps per 4/4 bar: 'x' hit, 'o' soft hit, '.' rest. */
export type StepPattern = string;

export interface DrumPattern {
  kick: StepPattern;
  snare: StepPattern;
  /** Closed hi-hat (42), or ride (51) when `ride` is set. */
  hat: StepPattern;
  openHat?: StepPattern;
  /** Use the ride cymbal instead of the closed hat. */
  ride?: boolean;
  /** Snare key: 38 snare, 39 clap, 37 side stick. */
  snareKey?: number;
  /** Pedal hi-hat (44) steps, e.g. jazz 2 and 4. */
  pedalHat?: StepPattern;
}

/** One bass note in a bar: [step 0–15, degree, length in steps]. */
export type BassStep = [number, 'R' | '5' | '8' | '3' | 'A', number];

/** How a harmony instrument plays its chord voicing within a bar: [step, length in steps]. */
export type CompStep = [number, number];

export interface HarmonyPart {
  name: string;
  program: number;
  comp: CompStep[];
  /** Velocity relative to the section energy. */
  level: number;
}

export interface ProgressionSet {
  verse: string[][];
  chorus: string[][];
  bridge: string[][];
}

export interface GenreProfile {
  tempo: [number, number];
  swing: { amount: number; unit: 8 | 16 };
  /** Drum pattern variants; a seed picks one for verses and one for choruses. */
  drums: DrumPattern[];
  bass: { name: string; program: number; pattern: BassStep[] };
  harmony: HarmonyPart[];
  lead: { name: string; program: number };
  progressions: { major: ProgressionSet; minor: ProgressionSet };
  /** Add a 4-bar pre-chorus before choruses in long songs. */
  preChorus: boolean;
  /** Melody grid for sung syllables: 2 = eighth notes, 4 = sixteenths. */
  syllableSlotsPerBeat: 2 | 4;
}

const EIGHTHS: StepPattern = 'x.x.x.x.x.x.x.x.';
const BACKBEAT: StepPattern = '....x.......x...';

export const GENRE_PROFILES: Record<Genre, GenreProfile> = {
  pop: {
    tempo: [96, 124],
    swing: { amount: 0, unit: 8 },
    drums: [
      { kick: 'x.....x.x.......', snare: BACKBEAT, hat: EIGHTHS },
      { kick: 'x.......x.x.....', snare: BACKBEAT, hat: 'x.xox.xox.xox.xo' },
    ],
    bass: { name: 'Electric Bass (finger)', program: 33, pattern: [[0, 'R', 4], [6, 'R', 2], [8, 'R', 4], [12, '5', 2], [14, '8', 2]] },
    harmony: [
      { name: 'Acoustic Grand Piano', program: 0, comp: [[0, 3], [3, 3], [6, 2], [8, 3], [11, 3], [14, 2]], level: 0.75 },
      { name: 'Pad 2 (warm)', program: 89, comp: [[0, 16]], level: 0.5 },
    ],
    lead: { name: 'Lead 2 (sawtooth)', program: 81 },
    progressions: {
      major: {
        verse: [['I', 'V', 'VIm', 'IV'], ['VIm', 'IV', 'I', 'V'], ['I', 'VIm', 'IV', 'V']],
        chorus: [['IV', 'I', 'V', 'VIm'], ['I', 'V', 'VIm', 'IV'], ['IV', 'V', 'IIIm', 'VIm']],
        bridge: [['IIm', 'IV', 'VIm', 'V'], ['IV', 'V', 'VIm', 'V']],
      },
      minor: {
        verse: [['Im', 'bVI', 'bIII', 'bVII'], ['Im', 'bVII', 'bVI', 'bVII']],
        chorus: [['bVI', 'bIII', 'bVII', 'Im'], ['bIII', 'bVII', 'Im', 'bVI']],
        bridge: [['IVm', 'bVI', 'bVII', 'V'], ['bVI', 'bVII', 'IVm', 'V']],
      },
    },
    preChorus: true,
    syllableSlotsPerBeat: 2,
  },
  rock: {
    tempo: [110, 140],
    swing: { amount: 0, unit: 8 },
    drums: [
      { kick: 'x.....x.x.x.....', snare: BACKBEAT, hat: EIGHTHS },
      { kick: 'x.x.....x.x.....', snare: BACKBEAT, hat: EIGHTHS, openHat: '..............x.' },
      { kick: 'x.....x.x.....x.', snare: '....x.......x..o', hat: 'x...x...x...x...', ride: true },
    ],
    bass: { name: 'Electric Bass (pick)', program: 34, pattern: [[0, 'R', 2], [2, 'R', 2], [4, 'R', 2], [6, 'R', 2], [8, 'R', 2], [10, 'R', 2], [12, 'R', 2], [14, '5', 2]] },
    harmony: [
      { name: 'Distortion Guitar', program: 30, comp: [[0, 2], [2, 2], [4, 2], [6, 2], [8, 2], [10, 2], [12, 2], [14, 2]], level: 0.7 },
      { name: 'Rock Organ', program: 18, comp: [[0, 16]], level: 0.4 },
    ],
    lead: { name: 'Overdriven Guitar', program: 29 },
    progressions: {
      major: {
        verse: [['I', 'bVII', 'IV', 'I'], ['I', 'IV', 'V', 'IV'], ['I', 'V', 'bVII', 'IV']],
        chorus: [['I', 'V', 'IV', 'I'], ['IV', 'I', 'V', 'V'], ['VIm', 'IV', 'I', 'V']],
        bridge: [['IV', 'bVII', 'I', 'V'], ['VIm', 'V', 'IV', 'V']],
      },
      minor: {
        verse: [['Im', 'bVII', 'bVI', 'bVII'], ['Im', 'bIII', 'bVII', 'IV']],
        chorus: [['bVI', 'bVII', 'Im', 'Im'], ['Im', 'bVI', 'bIII', 'bVII']],
        bridge: [['IVm', 'bVI', 'bVII', 'V'], ['bIII', 'bVII', 'IVm', 'V']],
      },
    },
    preChorus: true,
    syllableSlotsPerBeat: 2,
  },
  'hip-hop': {
    tempo: [82, 98],
    swing: { amount: 0.2, unit: 16 },
    drums: [
      { kick: 'x......x..x.....', snare: BACKBEAT, hat: EIGHTHS },
      { kick: 'x.x.......x..x..', snare: '....x.......x..o', hat: 'xxx.xxx.xxx.xxx.' },
    ],
    bass: { name: 'Synth Bass 1', program: 38, pattern: [[0, 'R', 6], [7, 'R', 2], [10, '5', 3], [14, 'R', 2]] },
    harmony: [
      { name: 'Electric Piano 1', program: 4, comp: [[0, 6], [8, 6]], level: 0.7 },
      { name: 'String Ensemble 1', program: 48, comp: [[0, 16]], level: 0.4 },
    ],
    lead: { name: 'Lead 1 (square)', program: 80 },
    progressions: {
      major: {
        verse: [['VIm7', 'IVMaj7', 'VIm7', 'IVMaj7'], ['IMaj7', 'VIm7', 'IIm7', 'V7']],
        chorus: [['IVMaj7', 'V7', 'IIIm7', 'VIm7'], ['IIm7', 'V7', 'IMaj7', 'VIm7']],
        bridge: [['IVMaj7', 'IIIm7', 'IIm7', 'V7sus4']],
      },
      minor: {
        verse: [['Im7', 'bVIMaj7', 'Im7', 'bVIMaj7'], ['Im7', 'IVm7', 'bVIMaj7', 'V7']],
        chorus: [['bVIMaj7', 'bVII7', 'Im7', 'Im7'], ['Im7', 'IVm7', 'bVII7', 'bIIIMaj7']],
        bridge: [['IVm7', 'bVII7', 'bIIIMaj7', 'V7']],
      },
    },
    preChorus: false,
    syllableSlotsPerBeat: 4,
  },
  edm: {
    tempo: [120, 130],
    swing: { amount: 0, unit: 16 },
    drums: [
      { kick: 'x...x...x...x...', snare: BACKBEAT, hat: '..x...x...x...x.', snareKey: 39, openHat: '..x...x...x...x.' },
      { kick: 'x...x...x...x...', snare: BACKBEAT, hat: 'xxxxxxxxxxxxxxxx', snareKey: 39 },
    ],
    bass: { name: 'Synth Bass 2', program: 39, pattern: [[2, 'R', 2], [6, 'R', 2], [10, 'R', 2], [14, '8', 2]] },
    harmony: [
      { name: 'Lead 3 (calliope) stabs', program: 82, comp: [[0, 2], [3, 2], [6, 2], [10, 2], [12, 2]], level: 0.6 },
      { name: 'Pad 8 (sweep)', program: 95, comp: [[0, 16]], level: 0.55 },
    ],
    lead: { name: 'Lead 2 (sawtooth)', program: 81 },
    progressions: {
      major: {
        verse: [['VIm', 'IV', 'I', 'V'], ['I', 'V', 'VIm', 'IV']],
        chorus: [['VIm', 'IV', 'I', 'V'], ['IV', 'V', 'VIm', 'VIm']],
        bridge: [['IV', 'V', 'IIIm', 'VIm']],
      },
      minor: {
        verse: [['Im', 'bVI', 'bIII', 'bVII'], ['Im', 'Im', 'bVI', 'bVII']],
        chorus: [['bVI', 'bVII', 'Im', 'Im'], ['Im', 'bVI', 'bIII', 'bVII']],
        bridge: [['bVI', 'bIII', 'bVII', 'V']],
      },
    },
    preChorus: true,
    syllableSlotsPerBeat: 2,
  },
  lofi: {
    tempo: [70, 88],
    swing: { amount: 0.25, unit: 8 },
    drums: [
      { kick: 'x.......x.x.....', snare: BACKBEAT, hat: EIGHTHS },
      { kick: 'x......x..x.....', snare: '....x.......x...', hat: 'x.x.x.xxx.x.x.x.', snareKey: 37 },
    ],
    bass: { name: 'Acoustic Bass', program: 32, pattern: [[0, 'R', 6], [8, '5', 4], [14, 'A', 2]] },
    harmony: [
      { name: 'Electric Piano 2', program: 5, comp: [[0, 5], [6, 2], [10, 5]], level: 0.7 },
    ],
    lead: { name: 'Flute', program: 73 },
    progressions: {
      major: {
        verse: [['IIm7', 'V7', 'IMaj7', 'VIm7'], ['IMaj7', 'IIIm7', 'IVMaj7', 'IVm7']],
        chorus: [['IVMaj7', 'IIIm7', 'IIm7', 'IMaj7'], ['IIm7', 'V7', 'IIIm7', 'VIm7']],
        bridge: [['IVMaj7', 'IVm7', 'IIIm7', 'VI7']],
      },
      minor: {
        verse: [['Im7', 'IVm7', 'bVIIMaj7', 'bIIIMaj7'], ['IIm7b5', 'V7', 'Im7', 'Im7']],
        chorus: [['bVIMaj7', 'IVm7', 'Im7', 'V7'], ['Im7', 'bVIMaj7', 'IVm7', 'V7']],
        bridge: [['bIIIMaj7', 'bVIMaj7', 'IIm7b5', 'V7']],
      },
    },
    preChorus: false,
    syllableSlotsPerBeat: 2,
  },
  ballad: {
    tempo: [64, 80],
    swing: { amount: 0, unit: 8 },
    drums: [
      { kick: 'x.......x.......', snare: BACKBEAT, hat: 'x...x...x...x...', snareKey: 37 },
      { kick: 'x.........x.....', snare: BACKBEAT, hat: EIGHTHS },
    ],
    bass: { name: 'Acoustic Bass', program: 32, pattern: [[0, 'R', 8], [8, '5', 8]] },
    harmony: [
      { name: 'Acoustic Grand Piano', program: 0, comp: [[0, 4], [4, 4], [8, 4], [12, 4]], level: 0.75 },
      { name: 'String Ensemble 1', program: 48, comp: [[0, 16]], level: 0.5 },
    ],
    lead: { name: 'Violin', program: 40 },
    progressions: {
      major: {
        verse: [['I', 'IIIm', 'IV', 'V'], ['I', 'VIm', 'IV', 'V'], ['I', 'V', 'VIm', 'IIIm']],
        chorus: [['IV', 'V', 'IIIm', 'VIm'], ['IV', 'I', 'IIm', 'V']],
        bridge: [['VIm', 'IIIm', 'IV', 'V']],
      },
      minor: {
        verse: [['Im', 'bVI', 'bIII', 'bVII'], ['Im', 'IVm', 'bVII', 'bIII']],
        chorus: [['bVI', 'bVII', 'bIII', 'Im'], ['IVm', 'bVII', 'bIII', 'bVI']],
        bridge: [['bVI', 'IVm', 'bVII', 'V']],
      },
    },
    preChorus: false,
    syllableSlotsPerBeat: 2,
  },
  country: {
    tempo: [100, 124],
    swing: { amount: 0.08, unit: 8 },
    drums: [
      { kick: 'x.......x.......', snare: BACKBEAT, hat: EIGHTHS },
      { kick: 'x.....x.x.......', snare: 'o.o.x.o.o.o.x.o.', hat: 'x...x...x...x...', snareKey: 37 },
    ],
    bass: { name: 'Acoustic Bass', program: 32, pattern: [[0, 'R', 4], [4, '5', 4], [8, 'R', 4], [12, '5', 4]] },
    harmony: [
      { name: 'Acoustic Guitar (steel)', program: 25, comp: [[0, 2], [4, 2], [6, 2], [8, 2], [12, 2], [14, 2]], level: 0.75 },
      { name: 'Drawbar Organ', program: 16, comp: [[0, 16]], level: 0.35 },
    ],
    lead: { name: 'Fiddle', program: 110 },
    progressions: {
      major: {
        verse: [['I', 'IV', 'I', 'V'], ['I', 'V', 'IV', 'I'], ['I', 'IV', 'V', 'I']],
        chorus: [['IV', 'I', 'V', 'I'], ['I', 'IV', 'V', 'IV']],
        bridge: [['VIm', 'IV', 'I', 'V']],
      },
      minor: {
        verse: [['Im', 'bVII', 'bVI', 'V'], ['Im', 'IVm', 'Im', 'V']],
        chorus: [['bVI', 'bVII', 'Im', 'V'], ['bIII', 'bVII', 'IVm', 'V']],
        bridge: [['IVm', 'bVII', 'bIII', 'V']],
      },
    },
    preChorus: false,
    syllableSlotsPerBeat: 2,
  },
  jazz: {
    tempo: [100, 160],
    swing: { amount: 0.33, unit: 8 },
    drums: [
      { kick: 'x...........x...', snare: '......o.......o.', hat: 'x...x.xx....x.xx', ride: true, pedalHat: BACKBEAT },
      { kick: 'x.......x.......', snare: '..o.......o...o.', hat: 'x...x.xx....x.xx', ride: true, pedalHat: BACKBEAT },
    ],
    bass: { name: 'Acoustic Bass', program: 32, pattern: [[0, 'R', 4], [4, '3', 4], [8, '5', 4], [12, 'A', 4]] },
    harmony: [
      { name: 'Acoustic Grand Piano', program: 0, comp: [[0, 3], [6, 2], [10, 3]], level: 0.65 },
    ],
    lead: { name: 'Alto Sax', program: 65 },
    progressions: {
      major: {
        verse: [['IIm7', 'V7', 'IMaj7', 'VI7'], ['IMaj7', 'VIm7', 'IIm7', 'V7'], ['IIIm7', 'VI7', 'IIm7', 'V7']],
        chorus: [['IVMaj7', 'IVm7', 'IIIm7', 'VI7'], ['IIm7', 'V7', 'IMaj7', 'IMaj7']],
        bridge: [['IIIm7', 'VI7', 'IIm7', 'V7']],
      },
      minor: {
        verse: [['IIm7b5', 'V7', 'Im7', 'Im7'], ['Im7', 'IVm7', 'bVIIMaj7', 'bIIIMaj7']],
        chorus: [['IVm7', 'bVII7', 'bIIIMaj7', 'bVIMaj7'], ['Im7', 'bVIMaj7', 'IIm7b5', 'V7']],
        bridge: [['bVIMaj7', 'IIm7b5', 'V7', 'Im7']],
      },
    },
    preChorus: false,
    syllableSlotsPerBeat: 2,
  },
};

export interface MoodProfile {
  mode: 'major' | 'minor';
  /** Multiplies the genre's mid tempo (then clamped into the genre's range ± 10 %). */
  tempoFactor: number;
  /** Tonics a seed picks from. */
  tonics: string[];
  /** Scales every velocity. */
  dynamics: number;
  /** Raises or lowers the melody register in semitones. */
  registerShift: number;
}

export const MOOD_PROFILES: Record<Mood, MoodProfile> = {
  happy: { mode: 'major', tempoFactor: 1.06, tonics: ['C', 'G', 'D', 'A', 'F'], dynamics: 1, registerShift: 1 },
  sad: { mode: 'minor', tempoFactor: 0.88, tonics: ['A', 'D', 'E', 'B', 'F#'], dynamics: 0.85, registerShift: -1 },
  energetic: { mode: 'major', tempoFactor: 1.12, tonics: ['E', 'A', 'D', 'G', 'B'], dynamics: 1.1, registerShift: 2 },
  calm: { mode: 'major', tempoFactor: 0.85, tonics: ['F', 'C', 'Bb', 'Eb', 'G'], dynamics: 0.8, registerShift: -2 },
  romantic: { mode: 'major', tempoFactor: 0.92, tonics: ['Eb', 'Ab', 'F', 'Bb', 'Db'], dynamics: 0.9, registerShift: 0 },
  dark: { mode: 'minor', tempoFactor: 0.95, tonics: ['C', 'F', 'G', 'D', 'Bb'], dynamics: 0.95, registerShift: -2 },
  epic: { mode: 'minor', tempoFactor: 1.0, tonics: ['D', 'C', 'E', 'G', 'A'], dynamics: 1.1, registerShift: 1 },
};

/** Relative loudness of each section (choruses loudest). */
export const SECTION_ENERGY: Record<SectionLabel, number> = {
  intro: 0.6,
  verse: 0.7,
  pre_chorus: 0.77,
  chorus: 0.9,
  bridge: 0.74,
  instrumental: 0.82,
  outro: 0.6,
};
