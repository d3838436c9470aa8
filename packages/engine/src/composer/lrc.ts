/**
 * Timed lyrics → LRC: `[mm:ss.xx]line` per sung line, an empty time tag where a line ends before
 * the next begins (so players clear it), optional enhanced `<mm:ss.xx>` word tags.
 */
import { syllabifyToken } from './syllables.js';
import type { ComposedSong } from './types.js';

export interface LrcOptions {
  title?: string;
  artist?: string;
  /** Add `<mm:ss.xx>` word-start tags from the syllable timings (enhanced LRC). */
  wordTimes?: boolean;
}

export function lrcTime(seconds: number): string {
  const cs = Math.max(0, Math.round(seconds * 100));
  const m = Math.floor(cs / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}

const clean = (text: string): string => text.replace(/[\r\n[\]<>]+/g, ' ').replace(/\s+/g, ' ').trim();

export function songToLrc(song: ComposedSong, opts: LrcOptions = {}): string {
  const out: string[] = [];
  if (opts.title) out.push(`[ti:${clean(opts.title)}]`);
  if (opts.artist) out.push(`[ar:${clean(opts.artist)}]`);
  out.push(`[length:${lrcTime(song.durationSeconds).slice(0, 5)}]`, '[re:ClipMix composer]');
  song.lyrics.forEach((line, index) => {
    let text = clean(line.text);
    if (opts.wordTimes) text = withWordTags(text, index, line.end, song);
    out.push(`[${lrcTime(line.time)}]${text}`);
    const next = song.lyrics[index + 1];
    if (!next || next.time - line.end > 0.5) out.push(`[${lrcTime(line.end)}]`);
  });
  return out.join('\n') + '\n';
}

/** Each whitespace token gets the start time of its first sung syllable; unsung tokens (emoji) none. */
function withWordTags(text: string, lineIndex: number, end: number, song: ComposedSong): string {
  const starts = new Map<number, number>();
  for (const s of song.vocals.syllables) {
    if (s.lineIndex === lineIndex && s.wordIndex !== undefined && !starts.has(s.wordIndex)) starts.set(s.wordIndex, s.time);
  }
  let wordIndex = 0;
  const tokens = text.split(' ').map((token) => {
    const start = starts.get(wordIndex);
    wordIndex += syllabifyToken(token).length;
    return start === undefined ? token : `<${lrcTime(start)}>${token}`;
  });
  return `${tokens.join(' ')}<${lrcTime(end)}>`;
}
