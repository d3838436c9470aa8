/** How lyrics are sent to POST /music_videos: plain text (approximate timing), LRC or SRT (exact). */
export type LyricsFormat = 'text' | 'lrc' | 'srt';

const SRT_CUE = /^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}/m;
const LRC_LINE = /^\s*\[\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?\]/m;

/** Decides by content (a renamed file still works); plain text when neither timing syntax is found. */
export function detectLyricsFormat(content: string): LyricsFormat {
  if (SRT_CUE.test(content)) return 'srt';
  if (LRC_LINE.test(content)) return 'lrc';
  return 'text';
}

/** Files the lyrics importer accepts. */
export const LYRICS_ACCEPT = '.lrc,.srt,.txt,text/plain,application/x-subrip';

/** Largest lyrics file read in the browser (the API accepts 50,000 characters). */
export const MAX_LYRICS_FILE_BYTES = 200_000;
