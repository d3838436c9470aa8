/** Lyrics → timed captions (for the timeline) → ASS subtitles (for libass). */
import type { TimelineCaptions } from '../musicvideo/timeline.js';
import type { CaptionStyle } from '../musicvideo/styles.js';
import { detectLyricsFormat, parseLrc, parsePlainLyrics, parseSrt } from './parse.js';
import { fitCaptionsToDuration, placePlainLyrics, type LyricsPlacementContext } from './timing.js';

export { parseLrc, parseSrt, parsePlainLyrics, detectLyricsFormat, LyricsParseError, type PlainLyrics } from './parse.js';
export { placePlainLyrics, fitCaptionsToDuration, vocalIntervals, MIN_LINE_SECONDS, type LyricsPlacementContext } from './timing.js';
export { escapeAssText, buildAssSubtitles, assColor, assTime, type AssOptions } from './ass.js';

/** Lyrics as the API takes them: exactly one of plain text, LRC or SRT (or a string to sniff). */
export type LyricsInput = string | { text?: string; lrc?: string; srt?: string };

export interface CaptionsResult {
  /** Undefined when the lyrics held no line at all. */
  captions?: TimelineCaptions;
  warnings: string[];
}

/**
 * Time lyrics against a song. LRC and SRT keep their times (`timing: 'exact'`); plain text is
 * spread over the sung parts (`timing: 'approximate'`). Lines that do not fit the song are dropped
 * and reported in `warnings`. Throws LyricsParseError for LRC/SRT without a single timed line.
 */
export function captionsFromLyrics(lyrics: LyricsInput, ctx: LyricsPlacementContext & { style: CaptionStyle }): CaptionsResult {
  const { kind, text } = pick(lyrics);
  const warnings: string[] = [];
  let captions: TimelineCaptions | undefined;
  const base = { position: ctx.style.position, karaoke: ctx.style.karaoke } as const;
  if (kind === 'text') {
    const plain = parsePlainLyrics(text);
    const { lines, dropped } = placePlainLyrics(plain, ctx);
    if (dropped) warnings.push(`${dropped} of ${plain.lines.length} lyric lines did not fit the song (${ctx.durationSeconds.toFixed(1)} s) and were dropped`);
    if (lines.length) captions = { source: 'text', timing: 'approximate', ...base, lines };
  } else {
    const parsed = kind === 'lrc' ? parseLrc(text) : parseSrt(text);
    const { lines, dropped } = fitCaptionsToDuration(parsed, ctx.durationSeconds);
    if (dropped) warnings.push(`${dropped} of ${parsed.length} lyric lines start after the song ends (${ctx.durationSeconds.toFixed(1)} s) and were dropped`);
    if (lines.length) captions = { source: kind, timing: 'exact', ...base, lines };
  }
  return captions ? { captions, warnings } : { warnings };
}

function pick(lyrics: LyricsInput): { kind: 'text' | 'lrc' | 'srt'; text: string } {
  if (typeof lyrics === 'string') return { kind: detectLyricsFormat(lyrics), text: lyrics };
  if (lyrics.lrc !== undefined) return { kind: 'lrc', text: lyrics.lrc };
  if (lyrics.srt !== undefined) return { kind: 'srt', text: lyrics.srt };
  return { kind: 'text', text: lyrics.text ?? '' };
}
