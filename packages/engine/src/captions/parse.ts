/**
 * Lyrics parsers: LRC (incl. several time tags per line, `[offset:]`, enhanced `<mm:ss.xx>` word
 * tags), SRT, and plain text. Timed formats give exact times; plain text gives lines and stanzas
 * that `placePlainLyrics` spreads over the song.
 */
import type { CaptionLine, CaptionWord } from '../musicvideo/timeline.js';

export class LyricsParseError extends Error {
  override name = 'LyricsParseError';
}

/** Lines longer than this are cut when no later line or word tag says when they end. */
const MAX_OPEN_LINE_SECONDS = 8;

const LINE_TAG = /^\s*\[(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)\]/;
const META_TAG = /^\s*\[([a-zA-Z#]+):([^\]]*)\]\s*$/;
const WORD_TAG = /<(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)>/g;

function clockSeconds(minutes: string, seconds: string): number {
  // "ss.xx", "ss.xxx", "ss:xx" (a colon before hundredths is common too).
  const [whole, frac] = seconds.split(/[.:]/);
  return Number(minutes) * 60 + Number(whole) + (frac ? Number(`0.${frac}`) : 0);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Parse LRC. Returns lines sorted by time, each ending at the next line (or its last word tag, or
 * after 8 s). A line with only a time tag ends the previous line. `[offset:+ms]` moves lyrics earlier.
 */
export function parseLrc(text: string): CaptionLine[] {
  const entries: Array<{ start: number; text: string; words?: CaptionWord[]; blank: boolean }> = [];
  let offset = 0;
  for (const raw of stripBom(text).split(/\r\n|\r|\n/)) {
    const meta = META_TAG.exec(raw);
    if (meta && !LINE_TAG.test(raw)) {
      if (meta[1]!.toLowerCase() === 'offset') {
        const ms = Number(meta[2]!.trim());
        if (Number.isFinite(ms)) offset = ms / 1000;
      }
      continue;
    }
    const starts: number[] = [];
    let rest = raw;
    for (let m = LINE_TAG.exec(rest); m; m = LINE_TAG.exec(rest)) {
      starts.push(clockSeconds(m[1]!, m[2]!));
      rest = rest.slice(m[0].length);
    }
    if (starts.length === 0) continue;
    const { text: lineText, words } = parseWordTags(rest);
    for (const start of starts) {
      // Word tags are absolute for the first tag of the line; repeats shift them along.
      const shift = start - starts[0]!;
      entries.push({
        start,
        text: lineText,
        blank: lineText.trim() === '',
        ...(words ? { words: words.map((w) => ({ ...w, start: w.start + shift, end: w.end + shift })) } : {}),
      });
    }
  }
  if (entries.length === 0) throw new LyricsParseError('no timed lines found in the LRC lyrics ([mm:ss.xx] tags)');
  for (const e of entries) {
    e.start -= offset;
    if (e.words) for (const w of e.words) { w.start -= offset; w.end -= offset; }
  }
  entries.sort((a, b) => a.start - b.start);
  const lines: CaptionLine[] = [];
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (e.blank) continue;
    const next = entries[i + 1]?.start ?? Infinity;
    const wordsEnd = e.words?.length ? e.words[e.words.length - 1]!.end : undefined;
    const own = wordsEnd !== undefined ? Math.max(wordsEnd, e.start + 0.3) : e.start + MAX_OPEN_LINE_SECONDS;
    const end = Math.min(next, own);
    const start = Math.max(0, e.start);
    if (!(end > start)) continue;
    lines.push({ start, end, text: e.text.trim(), ...(e.words ? { words: clampWords(e.words, start, end) } : {}) });
  }
  return lines;
}

/** `<mm:ss.xx>word <mm:ss.xx>word<mm:ss.xx>` → text and timed words (undefined without tags). */
function parseWordTags(body: string): { text: string; words?: CaptionWord[] } {
  const tags: Array<{ at: number; index: number; length: number }> = [];
  for (const m of body.matchAll(WORD_TAG)) tags.push({ at: clockSeconds(m[1]!, m[2]!), index: m.index!, length: m[0].length });
  if (tags.length === 0) return { text: body.trim() };
  const words: CaptionWord[] = [];
  const head = body.slice(0, tags[0]!.index);
  for (let i = 0; i < tags.length; i++) {
    const from = tags[i]!.index + tags[i]!.length;
    const to = i + 1 < tags.length ? tags[i + 1]!.index : body.length;
    const piece = body.slice(from, to);
    if (piece.trim() === '') continue;
    const end = i + 1 < tags.length ? tags[i + 1]!.at : tags[i]!.at + 0.5;
    words.push({ start: tags[i]!.at, end: Math.max(end, tags[i]!.at), text: piece.trim() });
  }
  const text = (head + words.map((w) => w.text).join(' ')).replace(/\s+/g, ' ').trim();
  return words.length ? { text, words } : { text };
}

function clampWords(words: CaptionWord[], start: number, end: number): CaptionWord[] {
  return words.map((w) => {
    const s = Math.min(Math.max(w.start, start), end);
    return { text: w.text, start: s, end: Math.min(Math.max(w.end, s), end) };
  });
}

const SRT_TIME = /(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})\s*-->\s*(\d{1,2}):(\d{2}):(\d{2})[,.](\d{1,3})/;

/** Parse SRT (also tolerates a missing counter line and '.' as the decimal separator). */
export function parseSrt(text: string): CaptionLine[] {
  const lines: CaptionLine[] = [];
  const rows = stripBom(text).split(/\r\n|\r|\n/);
  for (let i = 0; i < rows.length; i++) {
    const m = SRT_TIME.exec(rows[i]!);
    if (!m) continue;
    const start = +m[1]! * 3600 + +m[2]! * 60 + +m[3]! + Number(`0.${m[4]!}`);
    const end = +m[5]! * 3600 + +m[6]! * 60 + +m[7]! + Number(`0.${m[8]!}`);
    const body: string[] = [];
    for (i++; i < rows.length && rows[i]!.trim() !== ''; i++) {
      if (SRT_TIME.test(rows[i]!)) { i--; break; }
      body.push(stripMarkup(rows[i]!).trim());
    }
    // Drop a trailing counter that belongs to the next block when blank lines were missing.
    const content = body.filter((b) => b !== '').join('\n');
    if (content && end > start) lines.push({ start, end, text: content });
  }
  if (lines.length === 0) throw new LyricsParseError('no subtitle blocks found in the SRT lyrics (hh:mm:ss,mmm --> hh:mm:ss,mmm)');
  return lines.sort((a, b) => a.start - b.start);
}

/** Remove HTML-ish tags (<i>, <font …>) and ASS override blocks ({\an8}) found in SRT files. */
function stripMarkup(s: string): string {
  return s.replace(/<\/?[a-zA-Z][^>]*>/g, '').replace(/\{\\[^}]*\}/g, '');
}

export interface PlainLyrics {
  /** Non-empty lines in order. */
  lines: string[];
  /** Stanza number of each line (blank lines separate stanzas). */
  stanza: number[];
}

/** Plain lyrics: one caption per non-empty line; `[Chorus]`-style markers are skipped. */
export function parsePlainLyrics(text: string): PlainLyrics {
  const lines: string[] = [];
  const stanza: number[] = [];
  let current = 0;
  let open = false;
  for (const raw of stripBom(text).split(/\r\n|\r|\n/)) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (line === '') {
      if (open) current++;
      open = false;
      continue;
    }
    if (/^\[[^\]]*\]$/.test(line)) continue;
    lines.push(line);
    stanza.push(current);
    open = true;
  }
  return { lines, stanza };
}

/** Which parser a lyrics text needs, by its content. */
export function detectLyricsFormat(text: string): 'lrc' | 'srt' | 'text' {
  const sample = stripBom(text).slice(0, 4000);
  if (SRT_TIME.test(sample)) return 'srt';
  if (/^\s*\[\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?\]/m.test(sample)) return 'lrc';
  return 'text';
}
