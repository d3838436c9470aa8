import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assTime, buildAssSubtitles, escapeAssText, lineBreaks, splitWords } from '../src/captions/ass.js';
import { captionsFromLyrics } from '../src/captions/index.js';
import { detectLyricsFormat, LyricsParseError, parseLrc, parsePlainLyrics, parseSrt } from '../src/captions/parse.js';
import { fitCaptionsToDuration, MIN_LINE_SECONDS, placePlainLyrics } from '../src/captions/timing.js';
import { getStyle } from '../src/musicvideo/styles.js';
import type { TimelineCaptions } from '../src/musicvideo/timeline.js';

describe('LRC', () => {
  it('parses several time tags per line, metadata, fractions of 1–3 digits and sorts by time', () => {
    const lines = parseLrc('[ar:Someone]\n[ti:Song]\n[00:10.5]third\n[00:01.00][00:20.123]hook\n[00:05:25]second\n');
    expect(lines.map((l) => [l.start, l.text])).toEqual([[1, 'hook'], [5.25, 'second'], [10.5, 'third'], [20.123, 'hook']]);
    // Each line ends where the next begins; the last one after at most 8 s.
    expect(lines[0]!.end).toBe(5.25);
    expect(lines[3]!.end).toBeCloseTo(28.123, 6);
  });

  it('applies [offset:] (positive = earlier) and lets an empty tag end a line', () => {
    const lines = parseLrc('[offset:+500]\n[00:02.00]a\n[00:03.00]\n[00:06.00]b');
    expect(lines.map((l) => [l.start, l.end, l.text])).toEqual([[1.5, 2.5, 'a'], [5.5, 13.5, 'b']]);
  });

  it('reads enhanced word tags, shifted for repeated line tags', () => {
    const [first, second] = parseLrc('[00:12.00][00:30.00]<00:12.00>Hello <00:12.50>big <00:13.00>world<00:13.80>');
    expect(first!.text).toBe('Hello big world');
    expect(first!.words).toEqual([
      { start: 12, end: 12.5, text: 'Hello' },
      { start: 12.5, end: 13, text: 'big' },
      { start: 13, end: 13.8, text: 'world' },
    ]);
    expect(first!.end).toBeCloseTo(13.8, 6);
    expect(second!.words![0]).toEqual({ start: 30, end: 30.5, text: 'Hello' });
  });

  it('rejects text without any time tag', () => {
    expect(() => parseLrc('just words\nmore words')).toThrow(LyricsParseError);
  });
});

describe('SRT', () => {
  it('parses blocks with CRLF, BOM, markup and multi-line text', () => {
    const srt = '\uFEFF1\r\n00:00:01,000 --> 00:00:02,500\r\n<i>Hello</i> {\\an8}there\r\nsecond row\r\n\r\n2\r\n00:00:03.2 --> 00:00:04,000\r\nNext\r\n';
    expect(parseSrt(srt)).toEqual([
      { start: 1, end: 2.5, text: 'Hello there\nsecond row' },
      { start: 3.2, end: 4, text: 'Next' },
    ]);
  });

  it('rejects files without cues', () => {
    expect(() => parseSrt('1\nhello')).toThrow(/no subtitle blocks/);
  });
});

describe('plain lyrics', () => {
  it('keeps lines, numbers stanzas and skips [Chorus] markers', () => {
    expect(parsePlainLyrics('[Verse 1]\n  one  \ntwo\n\n\n[Chorus]\nthree\n')).toEqual({ lines: ['one', 'two', 'three'], stanza: [0, 0, 1] });
  });

  it('detects the format from the content', () => {
    expect(detectLyricsFormat('[00:01.00]hi')).toBe('lrc');
    expect(detectLyricsFormat('1\n00:00:01,000 --> 00:00:02,000\nhi')).toBe('srt');
    expect(detectLyricsFormat('[Chorus]\nla la')).toBe('text');
  });

  const ctx = {
    durationSeconds: 60,
    sections: [
      { start: 0, end: 10, label: 'intro', energy: 0.2 },
      { start: 10, end: 30, label: 'verse', energy: 0.5 },
      { start: 30, end: 50, label: 'chorus', energy: 0.9 },
      { start: 50, end: 60, label: 'outro', energy: 0.2 },
    ],
    beats: Array.from({ length: 120 }, (_, i) => i * 0.5),
  };

  it('spreads lines over the sung sections in order, one stanza per section when they match', () => {
    const { lines, dropped } = placePlainLyrics(parsePlainLyrics('a\nb\nc\n\nd\ne'), ctx);
    expect(dropped).toBe(0);
    expect(lines.map((l) => l.text)).toEqual(['a', 'b', 'c', 'd', 'e']);
    for (const l of lines.slice(0, 3)) expect(l.start >= 10 && l.end <= 30).toBe(true);
    for (const l of lines.slice(3)) expect(l.start >= 30 && l.end <= 50).toBe(true);
  });

  it('property: placed lines are ordered, inside the song, non-overlapping, and long enough; extra lines are dropped', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 80 }), (texts) => {
        const clean = texts.map((t) => t.replace(/\s+/g, ' ').trim() || 'x');
        const { lines, dropped } = placePlainLyrics({ lines: clean, stanza: clean.map(() => 0) }, ctx);
        expect(lines.length + dropped).toBe(clean.length);
        for (let i = 0; i < lines.length; i++) {
          const l = lines[i]!;
          expect(l.start).toBeGreaterThanOrEqual(0);
          expect(l.end).toBeLessThanOrEqual(60);
          expect(l.end - l.start).toBeGreaterThanOrEqual(MIN_LINE_SECONDS - 0.4);
          if (i > 0) expect(l.start).toBeGreaterThanOrEqual(lines[i - 1]!.end - 1e-9);
        }
        expect(lines.map((l) => l.text)).toEqual(clean.slice(0, lines.length));
      }),
      { numRuns: 150 },
    );
  });

  it('timed lyrics past the end of the song are dropped and reported', () => {
    const tag = (t: number) => `[${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}.00]`;
    const lrc = Array.from({ length: 30 }, (_, i) => `${tag(i * 4)}line ${i}`).join('\n');
    const { lines, dropped } = fitCaptionsToDuration(parseLrc(lrc), 50);
    expect(dropped).toBeGreaterThan(0);
    expect(lines.every((l) => l.end <= 50 && l.start < 50)).toBe(true);
    const res = captionsFromLyrics({ lrc }, { ...ctx, durationSeconds: 50, style: getStyle('pulse').captions });
    expect(res.warnings.join(' ')).toMatch(/start after the song ends/);
  });
});

/** libass' reading of Dialogue text (escapes only; override blocks are an error here). */
function libassRead(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '{') throw new Error(`override block at ${i}`);
    if (ch === '\\') {
      const next = text[i + 1];
      if (next === 'N' || next === 'n') { out += '\n'; i++; continue; }
      if (next === 'h') { out += '\u00a0'; i++; continue; }
      if (next === '{' || next === '}') { out += next; i++; continue; }
    }
    if (ch === '\u2060') continue; // the invisible word joiner we insert
    out += ch;
  }
  return out;
}

describe('ASS escaping', () => {
  it('makes braces, backslash escapes and newlines literal', () => {
    expect(escapeAssText('a{b}c')).toBe('a\\{b\\}c');
    expect(escapeAssText('C:\\Nope')).toBe('C:\\\u2060Nope');
    expect(escapeAssText('one\r\ntwo\nthree')).toBe('one\\Ntwo\\Nthree');
  });

  it('property: libass reads back exactly the input (newlines normalised, controls dropped)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'N', 'n', 'h', '\\', '{', '}', '\n', '\r', ' ', '漢', '😀', '\t', '\u0001', ',') , maxLength: 60 }), (s) => {
        const escaped = escapeAssText(s);
        expect(escaped).not.toMatch(/[\n\r]/);
        const expected = s.replace(/\r\n|\r/g, '\n').replace(/\t/g, ' ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
        expect(libassRead(escaped)).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('property: any unicode text never opens an override block', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (s) => {
      expect(() => libassRead(escapeAssText(s))).not.toThrow();
    }));
  });
});

describe('ASS document', () => {
  const captions: TimelineCaptions = {
    source: 'lrc', timing: 'exact', position: 'bottom', karaoke: true,
    lines: [
      { start: 1, end: 3, text: 'Hello world', words: [{ start: 1, end: 1.5, text: 'Hello' }, { start: 2, end: 2.8, text: 'world' }] },
      { start: 4, end: 6, text: 'evenly {spread} words' },
    ],
  };

  it('writes karaoke tags summing to the word timing, with gaps', () => {
    const ass = buildAssSubtitles(captions, { width: 854, height: 480, style: getStyle('lyric').captions });
    expect(ass).toContain('PlayResX: 854');
    const events = ass.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(events[0]).toBe('Dialogue: 0,0:00:01.00,0:00:03.00,Lyrics,,0,0,0,,{\\k50}Hello {\\k50}{\\k80}world');
    const ks = [...events[1]!.matchAll(/\\k(\d+)/g)].map((m) => Number(m[1]));
    expect(ks.reduce((a, b) => a + b, 0)).toBe(180); // 90 % of the 2 s line
    expect(events[1]).toContain('\\{spread\\}');
  });

  it('shifts times for a later segment and keeps the sung part highlighted', () => {
    const ass = buildAssSubtitles(captions, { width: 854, height: 480, style: getStyle('pulse').captions, offsetSeconds: 2, untilSeconds: 1.5 });
    const events = ass.split('\n').filter((l) => l.startsWith('Dialogue:'));
    expect(events).toHaveLength(1);
    expect(events[0]).toBe('Dialogue: 0,0:00:00.00,0:00:01.00,Lyrics,,0,0,0,,{\\k0}HELLO {\\k80}WORLD');
  });

  it('breaks long CJK lines (libass wraps only at spaces)', () => {
    const words = splitWords('漢字かな漢字かな漢字かな漢字かな漢字かな漢字かな漢字かな');
    expect(words.length).toBe(28);
    expect(lineBreaks(words, 20).size).toBeGreaterThan(0);
    expect(assTime(3661.257)).toBe('1:01:01.26');
  });
});
