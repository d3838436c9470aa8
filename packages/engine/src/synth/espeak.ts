/**
 * espeak-ng (formant synthesis) as the local voice. Many short units (syllables or words) are
 * spoken by one process, separated by long word gaps, and cut apart again at those silences —
 * a 3-minute song needs a handful of processes, not one per syllable. When the cut does not give
 * exactly one piece per unit (a token espeak expands or swallows), that batch falls back to one
 * process per unit.
 */
import { mapLimit, runTool } from './process.js';
import { parseWav16 } from './pcm.js';

export interface EspeakVoice {
  /** espeak-ng voice+variant, e.g. "en+f3". */
  voice: string;
  /** espeak-ng pitch 0–99. */
  pitch: number;
  /** Words per minute. */
  speed: number;
}

export interface SpeakOptions {
  signal?: AbortSignal;
  /** espeak-ng executable (default `espeak-ng` on PATH). */
  espeak?: string;
  /** Units per process (default 48). */
  batchSize?: number;
  /** Processes at once (default 2). */
  concurrency?: number;
  /** Called after each batch with the number of units done. */
  onUnits?: (done: number) => void;
}

export const ESPEAK_RATE = 22050;
/** Word gap in 10 ms units (at the default speed): long enough to cut at, longer than any stop. */
const WORD_GAP = 40;
const MIN_GAP_S = 0.15;
const EDGE_S = 0.01;

/** Text espeak-ng can say as one word: letters, marks and apostrophes only. */
export function speakableText(text: string): string {
  return text.normalize('NFC').replace(/[^\p{L}\p{M}']+/gu, '').replace(/^'+|'+$/g, '');
}

/** 22.05 kHz mono audio per unit, trimmed of silence; null for a unit that gave no sound. */
export async function speakUnits(texts: readonly string[], voice: EspeakVoice, opts: SpeakOptions = {}): Promise<Array<Float32Array | null>> {
  const clean = texts.map(speakableText);
  const result: Array<Float32Array | null> = clean.map(() => null);
  const wanted = clean.map((t, i) => (t ? i : -1)).filter((i) => i >= 0);
  const size = Math.max(1, opts.batchSize ?? 48);
  const batches: number[][] = [];
  for (let i = 0; i < wanted.length; i += size) batches.push(wanted.slice(i, i + size));
  let done = 0;
  await mapLimit(batches, opts.concurrency ?? 2, async (batch) => {
    const audio = await speak(batch.map((i) => clean[i]!).join(' '), voice, opts);
    let pieces: Array<Float32Array | null> = splitAtSilences(audio);
    if (pieces.length !== batch.length) {
      pieces = await mapLimit(batch, 1, async (i) => trim(await speak(clean[i]!, voice, opts)), opts.signal);
    }
    batch.forEach((unit, k) => (result[unit] = pieces[k] && pieces[k]!.length ? pieces[k]! : null));
    done += batch.length;
    opts.onUnits?.(done);
  }, opts.signal);
  return result;
}

async function speak(text: string, voice: EspeakVoice, opts: SpeakOptions): Promise<Float32Array> {
  const args = ['-v', voice.voice, '-s', String(Math.round(voice.speed)), '-p', String(Math.round(voice.pitch)), '-g', String(WORD_GAP), '-b', '1', '-z', '--stdin', '--stdout'];
  const { stdout } = await runTool(opts.espeak ?? 'espeak-ng', args, { stdin: text, collectStdout: true, signal: opts.signal });
  const wav = parseWav16(stdout);
  if (wav.sampleRate !== ESPEAK_RATE) throw new Error(`espeak-ng wrote ${wav.sampleRate} Hz, expected ${ESPEAK_RATE}`);
  return wav.samples;
}

/** Non-silent stretches separated by at least MIN_GAP_S of silence, each with a short margin. */
export function splitAtSilences(x: Float32Array, sampleRate = ESPEAK_RATE): Float32Array[] {
  const frame = Math.round(0.005 * sampleRate);
  const frames = Math.ceil(x.length / frame);
  let peak = 0;
  for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]!));
  if (peak === 0) return [];
  const threshold = Math.max(peak * 0.003, 2 / 32768);
  const loud = new Uint8Array(frames);
  for (let f = 0; f < frames; f++) {
    const end = Math.min(x.length, (f + 1) * frame);
    for (let i = f * frame; i < end; i++) {
      if (Math.abs(x[i]!) > threshold) {
        loud[f] = 1;
        break;
      }
    }
  }
  const minGap = Math.round(MIN_GAP_S / 0.005);
  const edge = Math.round(EDGE_S * sampleRate);
  const pieces: Float32Array[] = [];
  let start = -1;
  let quiet = 0;
  for (let f = 0; f <= frames; f++) {
    if (f < frames && loud[f]) {
      if (start < 0) start = f;
      quiet = 0;
    } else if (start >= 0) {
      quiet++;
      if (quiet >= minGap || f === frames) {
        const endFrame = f - quiet + 1;
        pieces.push(x.slice(Math.max(0, start * frame - edge), Math.min(x.length, endFrame * frame + edge)));
        start = -1;
        quiet = 0;
      }
    }
  }
  return pieces;
}

/** The whole utterance from its first to its last audible sample (a unit may span several words). */
function trim(x: Float32Array): Float32Array | null {
  const pieces = splitAtSilences(x);
  if (pieces.length <= 1) return pieces[0] ?? null;
  const total = pieces.reduce((n, p) => n + p.length, 0);
  const joined = new Float32Array(total);
  let o = 0;
  for (const p of pieces) {
    joined.set(p, o);
    o += p.length;
  }
  return joined;
}
