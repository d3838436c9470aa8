/**
 * Lyrics in the wizard use the engine's own parsers (pure functions, no Node APIs), so the lines
 * and times the browser lists are exactly the captions the server will render.
 */
import { detectLyricsFormat as detect, parseLrc, parseSrt } from '@clipmix/engine/captions/parse';

/** How lyrics are sent to POST /music_videos: plain text (approximate timing), LRC or SRT (exact). */
export type LyricsFormat = 'text' | 'lrc' | 'srt';

/** Decides by content (a renamed file still works); plain text when neither timing syntax is found. */
export function detectLyricsFormat(content: string): LyricsFormat {
  return detect(content);
}

/** Files the lyrics importer accepts. */
export const LYRICS_ACCEPT = '.lrc,.srt,.txt,text/plain,application/x-subrip';

/** Largest lyrics file read in the browser (the API accepts 50,000 characters). */
export const MAX_LYRICS_FILE_BYTES = 200_000;

/** One line of timed lyrics as the preview lists it. */
export interface TimedLine {
  start: number;
  /** Shown for SRT cues; LRC lines end where the next one starts. */
  end?: number;
  text: string;
}

/**
 * The timed lines of LRC or SRT lyrics, sorted by start, for the preview under the lyrics field
 * (empty for plain text, or when the server's parser would reject the text — the API then says why).
 */
export function parseTimedLyrics(content: string, format: LyricsFormat = detectLyricsFormat(content)): TimedLine[] {
  try {
    if (format === 'lrc') return parseLrc(content).map((l) => ({ start: l.start, text: l.text }));
    if (format === 'srt') return parseSrt(content).map((l) => ({ start: l.start, end: l.end, text: l.text.replace(/\s*\n\s*/g, ' ') }));
  } catch {
    // An unparseable file lists nothing here; creating the video reports the parser's message.
  }
  return [];
}

/** 3.5 → "0:03.50", 75.25 → "1:15.25" (the precision LRC and SRT times have). */
export function formatLyricsTime(seconds: number): string {
  const cs = Math.round(seconds * 100);
  const m = Math.floor(cs / 6000);
  const s = Math.floor((cs % 6000) / 100);
  return `${m}:${String(s).padStart(2, '0')}.${String(cs % 100).padStart(2, '0')}`;
}
