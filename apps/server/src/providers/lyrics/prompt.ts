import type { LyricsRequest } from './types.js';

export const LYRICS_SYSTEM_PROMPT =
  'You write song lyrics. Answer with the lyrics only: no title, no commentary, no markdown. ' +
  'Mark sections with tags on their own line: [Verse], [Chorus], [Bridge]. ' +
  'Use the structure [Verse] [Chorus] [Verse] [Chorus] [Bridge] [Chorus], four short singable lines per section, ' +
  'a chorus that repeats word for word, and simple words a synthetic voice can sing.';

export function lyricsUserPrompt(r: LyricsRequest): string {
  return `Write ${r.mood} ${r.genre} song lyrics about: ${r.theme.trim()}`;
}

/**
 * Keeps what a model answered usable: strips code fences and chatter before the first tag,
 * normalises tag spelling, and tags untagged text as one verse.
 */
export function cleanLyrics(raw: string): string {
  let text = raw.replace(/\r\n?/g, '\n').replace(/^```[a-z]*\n?|```$/gim, '').trim();
  text = text.replace(/^[ \t]*\**\[?[ \t]*(verse|chorus|bridge|intro|outro|pre-?chorus)([ \t]*\d+)?[ \t]*\]?\**:?[ \t]*$/gim, (_m, tag: string) => {
    const t = tag.toLowerCase();
    return t.startsWith('pre') ? '[Pre-Chorus]' : `[${t[0]!.toUpperCase()}${t.slice(1)}]`;
  });
  const first = text.search(/^\[(Verse|Chorus|Bridge|Intro|Outro|Pre-Chorus)\]$/m);
  if (first > 0) text = text.slice(first);
  else if (first < 0) text = `[Verse]\n${text}`;
  return text.replace(/\n{3,}/g, '\n\n').trim();
}
