/**
 * Lyrics text → labelled sections. Tags: [Verse], [Verse 2], [Chorus], [Hook], [Refrain],
 * [Pre-Chorus], [Bridge], [Intro], [Outro], [Instrumental]/[Solo]/[Break]. Untagged text is split
 * into stanzas at blank lines; a stanza that occurs twice is a chorus, the rest are verses.
 */
import type { SectionLabel } from './types.js';

export interface LyricSection {
  label: SectionLabel;
  lines: string[];
}

const TAG = /^\s*[[(]\s*([^\])]{1,40}?)\s*[\])]\s*$/;
const LRC_TIME = /^\s*(\[\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?\])+/;

export function sectionLabelOf(tag: string): SectionLabel | undefined {
  const t = tag.toLowerCase().replace(/[\s_-]+/g, '').replace(/\d+$/, '').replace(/:.*$/, '');
  if (t.startsWith('prechorus') || t === 'prehook' || t === 'build') return 'pre_chorus';
  if (t.startsWith('chorus') || t === 'hook' || t === 'refrain') return 'chorus';
  if (t.startsWith('verse')) return 'verse';
  if (t.startsWith('bridge') || t === 'middle8') return 'bridge';
  if (t === 'intro') return 'intro';
  if (t === 'outro' || t === 'coda' || t === 'ending') return 'outro';
  if (t === 'instrumental' || t === 'solo' || t === 'break' || t === 'interlude' || t === 'drop') return 'instrumental';
  return undefined;
}

export function parseLyrics(text: string): { sections: LyricSection[] } {
  const rows = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((row) => row.replace(LRC_TIME, '').replace(/<\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?>/g, '').trim());
  const tagged = rows.some((row) => {
    const m = TAG.exec(row);
    return m !== null && sectionLabelOf(m[1]!) !== undefined;
  });
  return { sections: tagged ? parseTagged(rows) : parseStanzas(rows) };
}

function parseTagged(rows: string[]): LyricSection[] {
  const sections: LyricSection[] = [];
  let current: LyricSection | undefined;
  for (const row of rows) {
    const m = TAG.exec(row);
    if (m) {
      const label = sectionLabelOf(m[1]!);
      // Unknown tags ("[Guitar]", "[x2]") are stage directions, not lyrics.
      if (label) {
        current = { label, lines: [] };
        sections.push(current);
      }
      continue;
    }
    if (row === '') continue;
    if (!current) {
      current = { label: 'verse', lines: [] };
      sections.push(current);
    }
    current.lines.push(row);
  }
  return sections.filter((s) => s.lines.length > 0 || s.label === 'instrumental');
}

function parseStanzas(rows: string[]): LyricSection[] {
  const stanzas: string[][] = [];
  let current: string[] = [];
  for (const row of rows) {
    if (row === '') {
      if (current.length) stanzas.push(current);
      current = [];
    } else current.push(row);
  }
  if (current.length) stanzas.push(current);
  const key = (lines: string[]): string => lines.join('\n').toLowerCase();
  const counts = new Map<string, number>();
  for (const s of stanzas) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  return stanzas.map((lines) => ({ label: (counts.get(key(lines)) ?? 0) > 1 ? 'chorus' : 'verse', lines }));
}
