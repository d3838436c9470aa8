/**
 * The vocal stem from ComposedSong.vocals, with espeak-ng as the local voice:
 *  - sung: every syllable spoken by espeak-ng, then re-pitched to its melody note and stretched
 *    to its note length by TD-PSOLA (formants kept), with a light vibrato on long notes;
 *  - spoken: every word at its natural pitch, starting on its first syllable's time and squeezed
 *    into its slot only when it would run into the next word.
 * Honest naming: this is formant speech synthesis pitched to the melody, not a singing model.
 */
import type { ComposedSong, VocalSyllable } from '../composer/types.js';
import { ESPEAK_RATE, speakUnits, type EspeakVoice } from './espeak.js';
import { addUpsampled2, writeStereoWav16 } from './pcm.js';
import { midiToHz, trackPitch, type PitchTrack } from './pitch.js';
import { psola } from './psola.js';

export const OUTPUT_RATE = 44100;

export interface VocalRenderOptions {
  song: ComposedSong;
  /** Where to write the 44.1 kHz 16-bit stereo vocal stem. */
  out: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  espeak?: string;
}

export interface VocalRenderResult {
  /** null when the song has no vocals or nothing was audible. */
  wav: string | null;
  voice: string;
  warnings: string[];
}

interface VoiceChoice {
  voice: string;
  label: string;
  /** Approximate median espeak-ng pitch (Hz) at -p 0 and -p 99, measured for this variant. */
  hzAt0: number;
  hzAt99: number;
}
const FEMALE: VoiceChoice = { voice: 'en+f3', label: 'female', hzAt0: 150, hzAt99: 330 };
const MALE: VoiceChoice = { voice: 'en+m3', label: 'male', hzAt0: 78, hzAt99: 175 };

/** Unit loudness before the mix (RMS); stressed syllables a little louder. */
const UNIT_RMS = 0.1;

export async function renderVocals(opts: VocalRenderOptions): Promise<VocalRenderResult> {
  const { song } = opts;
  const style = song.vocals.style;
  const syllables = song.vocals.syllables
    .filter((s) => s.time >= 0 && s.time < song.durationSeconds && s.duration > 0 && Number.isFinite(s.midi))
    .sort((a, b) => a.time - b.time);
  if (style === 'none' || syllables.length === 0) {
    return { wav: null, voice: 'none', warnings: style !== 'none' ? ['vocals were requested but the song has no syllables'] : [] };
  }
  const medianMidi = [...syllables.map((s) => s.midi)].sort((a, b) => a - b)[Math.floor(syllables.length / 2)]!;
  const choice = medianMidi >= 57 ? FEMALE : MALE;
  const warnings: string[] = [];
  const buffer = new Float32Array(Math.ceil(song.durationSeconds * OUTPUT_RATE));
  let audible = 0;

  if (style === 'sung') {
    const espeakPitch = pitchParam(choice, midiToHz(medianMidi));
    const voice: EspeakVoice = { voice: choice.voice, pitch: espeakPitch, speed: 150 };
    const units = await speakUnits(syllables.map((s) => s.text), voice, {
      signal: opts.signal,
      espeak: opts.espeak,
      onUnits: (n) => opts.onProgress?.(0.7 * (n / syllables.length)),
    });
    syllables.forEach((s, i) => {
      const audio = units[i];
      if (!audio) return;
      const length = Math.max(0.06, Math.min(s.duration - 0.03, nextStart(syllables, i, song.durationSeconds) - s.time - 0.02));
      const sung = psola(audio, ESPEAK_RATE, {
        length: Math.round(length * ESPEAK_RATE),
        hz: midiToHz(s.midi),
        vibratoCents: length > 0.45 ? 25 : 0,
      }, voicePitch(audio, choice, espeakPitch));
      place(buffer, sung, s.time, s.stressed ? 1.2 : 0.9);
      audible++;
    });
    opts.onProgress?.(0.85);
    const missing = syllables.length - audible;
    if (missing > 0) warnings.push(`${missing} of ${syllables.length} syllables could not be voiced by espeak-ng (no speakable letters)`);
    await writeStereoWav16(opts.out, buffer, OUTPUT_RATE);
    opts.onProgress?.(1);
    return {
      wav: audible > 0 ? opts.out : null,
      voice: `espeak-ng ${choice.voice} (${choice.label} formant speech synthesis, pitched to the melody with TD-PSOLA)`,
      warnings,
    };
  }

  // Spoken word: one unit per word, on the time of its first syllable.
  const words = groupWords(syllables, song.durationSeconds);
  const voice: EspeakVoice = { voice: choice.voice, pitch: 45, speed: 170 };
  const units = await speakUnits(words.map((w) => w.text), voice, {
    signal: opts.signal,
    espeak: opts.espeak,
    onUnits: (n) => opts.onProgress?.(0.7 * (n / words.length)),
  });
  words.forEach((w, i) => {
    const audio = units[i];
    if (!audio) return;
    const natural = audio.length / ESPEAK_RATE;
    const slot = Math.max(0.08, w.slot - 0.03);
    // Natural pitch; only compressed (down to 60 %) when the word would overrun its slot.
    const length = natural <= slot ? natural : Math.max(slot, natural * 0.6);
    const spoken = natural <= slot
      ? audio
      : psola(audio, ESPEAK_RATE, { length: Math.round(length * ESPEAK_RATE), hz: null }, voicePitch(audio, choice, voice.pitch));
    place(buffer, spoken, w.time, w.stressed ? 1.15 : 1);
    audible++;
  });
  const missing = words.length - audible;
  if (missing > 0) warnings.push(`${missing} of ${words.length} words could not be voiced by espeak-ng (no speakable letters)`);
  await writeStereoWav16(opts.out, buffer, OUTPUT_RATE);
  opts.onProgress?.(1);
  return {
    wav: audible > 0 ? opts.out : null,
    voice: `espeak-ng ${choice.voice} (${choice.label} formant speech synthesis, spoken word at natural pitch)`,
    warnings,
  };
}

/** espeak-ng -p (0–99) whose median pitch is nearest `hz`, so PSOLA shifts as little as possible. */
function pitchParam(choice: VoiceChoice, hz: number): number {
  const p = (99 * Math.log(hz / choice.hzAt0)) / Math.log(choice.hzAt99 / choice.hzAt0);
  return Math.round(Math.min(99, Math.max(0, p)));
}

/**
 * Pitch track of an espeak-ng unit, searched only around the pitch the voice was asked for
 * (espeak's intonation stays well within ×0.55–×1.8 of it): a fifth of the cost of a full search.
 */
function voicePitch(audio: Float32Array, choice: VoiceChoice, p: number): PitchTrack {
  const hz = choice.hzAt0 * (choice.hzAt99 / choice.hzAt0) ** (p / 99);
  return trackPitch(audio, ESPEAK_RATE, { minHz: Math.max(50, hz * 0.55), maxHz: Math.min(1000, hz * 1.8) });
}

function nextStart(syllables: readonly VocalSyllable[], i: number, end: number): number {
  return syllables[i + 1]?.time ?? end;
}

interface Word {
  text: string;
  time: number;
  slot: number;
  stressed: boolean;
}

function groupWords(syllables: readonly VocalSyllable[], end: number): Word[] {
  const letters = (t: string): string => t.toLowerCase().replace(/[^\p{L}\p{M}]/gu, '');
  const words: Word[] = [];
  let i = 0;
  while (i < syllables.length) {
    const first = syllables[i]!;
    const whole = letters(first.word);
    let spelled = letters(first.text);
    let j = i + 1;
    // Following syllables of the same word on the same line, until the word is spelled out (so
    // "la la la" stays three words).
    while (j < syllables.length && syllables[j]!.word === first.word && syllables[j]!.lineIndex === first.lineIndex && spelled.length < whole.length) {
      spelled += letters(syllables[j]!.text);
      j++;
    }
    const next = syllables[j]?.time ?? end;
    words.push({
      text: first.word || syllables.slice(i, j).map((s) => s.text).join(''),
      time: first.time,
      slot: Math.min(next, end) - first.time,
      stressed: syllables.slice(i, j).some((s) => s.stressed),
    });
    i = j;
  }
  return words;
}

/** Level-normalise a unit (22.05 kHz), fade its ends, upsample it and add it at `time`. */
function place(buffer: Float32Array, unit: Float32Array, time: number, gain: number): void {
  let energy = 0;
  for (let i = 0; i < unit.length; i++) energy += unit[i]! * unit[i]!;
  const rms = Math.sqrt(energy / Math.max(1, unit.length));
  if (rms === 0) return;
  const scale = (UNIT_RMS * gain) / rms;
  const fadeIn = Math.min(unit.length >> 1, Math.round(0.005 * ESPEAK_RATE));
  const fadeOut = Math.min(unit.length >> 1, Math.round(0.03 * ESPEAK_RATE));
  const shaped = new Float32Array(unit.length);
  for (let i = 0; i < unit.length; i++) {
    let g = scale;
    if (i < fadeIn) g *= i / fadeIn;
    const fromEnd = unit.length - 1 - i;
    if (fromEnd < fadeOut) g *= fromEnd / fadeOut;
    shaped[i] = unit[i]! * g;
  }
  addUpsampled2(shaped, buffer, Math.round(time * OUTPUT_RATE));
}
