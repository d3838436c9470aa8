/**
 * English syllabification by heuristics (vowel groups, silent e, -ed/-es endings, hiatus rules)
 * with stress guesses. Not a dictionary: roughly 9 in 10 common lyric words come out right.
 * Numbers are spelled out; CJK characters are one syllable each; other scripts fall back to
 * whole words (or 3-letter chunks for long words); emoji and symbols are dropped.
 */
import { numberToWords } from './numbers.js';

export interface Syllable {
  text: string;
  stressed: boolean;
}

export interface SungWord {
  /** The word as written (punctuation stripped). */
  word: string;
  syllables: Syllable[];
}

const FUNCTION_WORDS = new Set(
  'a an the and or but of to in on at by for with from as is am are was were be been it its i me my you your we our they them their he him his she her this that than so if do does did not no oh ooh ah yeah la na can will would could should has have had just into onto up out'.split(' '),
);
const STRESS_SECOND_PREFIXES = new Set(['a', 'be', 'de', 're', 'to', 'for', 'ex', 'con', 'com', 'dis', 'mis', 'pre', 'pro', 'per', 'en', 'em', 'im', 'un']);
const STRESS_FIRST_EXCEPTIONS = new Set(['any', 'many', 'under', 'enter', 'even', 'able', 'also', 'always', 'angel', 'other', 'only', 'ever', 'every', 'empty', 'engine', 'energy', 'answer', 'after', 'ocean', 'baby', 'body', 'city', 'comfort', 'common', 'concert', 'doctor', 'perfect', 'person', 'pretty', 'problem', 'promise', 'record', 'reckless', 'rebel', 'restless', 'deadly', 'desert', 'distance', 'danger', 'dancing', 'dancer', 'forest', 'forward', 'fortune', 'tower', 'toward', 'apple', 'area', 'army', 'artist']);
const ONSETS = new Set(['th', 'sh', 'ch', 'ph', 'wh', 'bl', 'br', 'cl', 'cr', 'dr', 'fl', 'fr', 'gl', 'gr', 'pl', 'pr', 'tr', 'thr', 'str', 'spr', 'scr', 'shr', 'qu']);

function base(ch: string): string {
  return ch.normalize('NFD').charAt(0).toLowerCase();
}
function isVowelLetter(ch: string): boolean {
  return 'aeiou'.includes(base(ch));
}

/** Which letters act as vowels ('y' between consonants or at the end, 'u' after q/g is a glide). */
function vowelMask(w: string): boolean[] {
  const low = [...w].map(base);
  return low.map((c, i) => {
    const prev = low[i - 1];
    const next = low[i + 1];
    if (c === 'y') {
      if (i === 0) return false;
      const prevV = prev !== undefined && 'aeiou'.includes(prev);
      const nextV = next !== undefined && 'aeiou'.includes(next);
      return !(prevV && nextV);
    }
    if (c === 'u' && (prev === 'q' || (prev === 'g' && next !== undefined && 'aeiy'.includes(next) && i === 1))) return false;
    return 'aeiou'.includes(c);
  });
}

interface Group {
  start: number;
  end: number; // exclusive
}

/** Vowel runs that are two syllables: "li|on", "cry|ing", "go|ing", "qui|et", "vid|e|o", "stadi|um". */
function splitHiatus(w: string, g: Group): Group[] {
  const s = w.slice(g.start, g.end);
  const after = w.slice(g.end);
  const before = w.slice(0, g.start);
  const at = (k: number): Group[] => [{ start: g.start, end: g.start + k }, { start: g.start + k, end: g.end }];
  if (s.length < 2) return [g];
  if (s.endsWith('i') && after.startsWith('ng') && s.length >= 2) return at(s.length - 1);
  if (s === 'yi') return at(1);
  if (s === 'ia' && !/(c|t)$/.test(before)) return at(1);
  if (s === 'io' && !/(c|t|s|x|g|ll|sh)$/.test(before) && (g.start <= 2 || after === '' || after.startsWith('us'))) return at(1);
  if (s === 'iu') return at(1);
  if (s === 'eo' && !after.startsWith('p') && !after.startsWith('u') && !before.endsWith('g')) return at(1);
  if (s === 'ie' && (after.startsWith('t') || (after === 'r' && w.length > 4))) return at(1);
  if (s === 'ea' && after === '' && w.length > 3) return at(1);
  if (s === 'ua' && !/(q|g)$/.test(before)) return at(1);
  if (s === 'ui' && /^(n|d)/.test(after)) return at(1);
  if (s === 'ue' && /^(l|t|n)/.test(after)) return at(1);
  if (s === 'oe' && /^(m|t)/.test(after)) return at(1);
  if (s === 'uo' || s === 'ao') return at(1);
  return [g];
}

function vowelGroups(w: string): Group[] {
  const mask = vowelMask(w);
  const groups: Group[] = [];
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const start = i;
    while (i + 1 < mask.length && mask[i + 1]) i++;
    groups.push(...splitHiatus(w, { start, end: i + 1 }));
  }
  return groups;
}

/** Drop silent vowel groups: final e, -ed/-es after most consonants, magic e before -ly/-ness/-ment/-ful/-less. */
function dropSilent(w: string, groups: Group[]): Group[] {
  if (groups.length < 2) return groups;
  const out = groups.slice();
  const last = out[out.length - 1]!;
  const lastText = w.slice(last.start, last.end);
  const tail = w.slice(last.end);
  const beforeLast = w.slice(out[out.length - 2]!.end, last.start);
  if (lastText === 'e') {
    const leEnding = tail === '' && /[^aeiouy]l$/.test(w.slice(0, last.start)) && beforeLast.length >= 2;
    const edSyllable = tail === 'd' && (/[td]$/.test(beforeLast) || /[^aeiouy]r$/.test(beforeLast));
    const esSyllable = tail === 's' && /(s|x|z|ch|sh|c|g)$/.test(beforeLast);
    const lesEnding = (tail === 's' || tail === 'd') && /[^aeiouy]l$/.test(beforeLast) && beforeLast.length >= 2;
    if ((tail === '' && !leEnding) || ((tail === 'd' || tail === 's') && !edSyllable && !esSyllable && !lesEnding)) out.pop();
  }
  // Magic e inside a word before a consonant suffix: "lone|ly", "care|ful", "state|ment".
  for (let k = out.length - 2; k >= 1; k--) {
    const g = out[k]!;
    if (w.slice(g.start, g.end) !== 'e') continue;
    const rest = w.slice(g.end);
    const gap = w.slice(out[k - 1]!.end, g.start);
    if (gap.length === 1 && /^(ly|ness|ment|ful|less|s)/.test(rest)) out.splice(k, 1);
  }
  return out;
}

/** Where the consonants between two vowel groups split: V|CV, VC|CV, keeping onsets like "th", "tr". */
function boundary(w: string, prevEnd: number, nextStart: number): number {
  const cluster = w.slice(prevEnd, nextStart).toLowerCase();
  if (cluster.length === 0) return prevEnd;
  if (cluster.length === 1) return cluster === 'x' ? nextStart : prevEnd;
  if (cluster.endsWith('ck')) return nextStart;
  for (const len of [3, 2]) {
    if (cluster.length >= len && ONSETS.has(cluster.slice(-len))) return nextStart - len;
  }
  return nextStart - 1;
}

/** Words the rules get wrong and lyrics use often: cut positions between syllables. */
const IRREGULAR: Record<string, number[]> = {
  every: [2], evening: [3], create: [3], science: [3], business: [3], different: [3, 6], favorite: [3, 5], camera: [3, 4], people: [3],
};
/** Compound heads whose final e is silent: "some|thing", "every|one", "fire|fly". */
const COMPOUND_HEADS = ['some', 'every', 'where', 'there', 'here', 'fire', 'home', 'life', 'love', 'time', 'space', 'stone', 'side', 'face', 'wide', 'more', 'game', 'base', 'eye', 'care', 'hope', 'lone'];

function latinSyllables(w: string): string[] {
  const lower = w.toLowerCase();
  const cuts = IRREGULAR[lower];
  if (cuts) return cuts.reduce<string[]>((parts, cut, i) => [...parts.slice(0, -1), w.slice(i ? cuts[i - 1] : 0, cut), w.slice(cut)], [w]);
  for (const head of COMPOUND_HEADS) {
    const rest = lower.slice(head.length);
    if (lower.startsWith(head) && rest.length >= 3 && /[aeiouy]/.test(rest) && !/^[aeiouy]/.test(rest) && !/^(s|d|r|ly|ness|ful|less|ment|st|n)$/.test(rest)) {
      return [...latinSyllables(w.slice(0, head.length)), ...latinSyllables(w.slice(head.length))];
    }
  }
  if (lower === 'every') return [w.slice(0, 2), w.slice(2)];
  return ruleSyllables(w);
}

function ruleSyllables(w: string): string[] {
  const lower = w.toLowerCase();
  const groups = dropSilent(lower, vowelGroups(lower));
  if (groups.length <= 1) return [w];
  const cuts: number[] = [];
  for (let i = 1; i < groups.length; i++) cuts.push(boundary(lower, groups[i - 1]!.end, groups[i]!.start));
  const out: string[] = [];
  let from = 0;
  for (const cut of cuts) {
    out.push(w.slice(from, cut));
    from = cut;
  }
  out.push(w.slice(from));
  return out.filter((s) => s.length > 0);
}

function stressPattern(word: string, syllables: string[]): boolean[] {
  const lower = word.toLowerCase().replace(/’/g, "'");
  if (syllables.length === 1) return [!FUNCTION_WORDS.has(lower)];
  const flags = syllables.map(() => false);
  const suffixAt = syllables.findIndex((s, i) => i > 0 && /^(tion|sion|cian|cial|tial|tient|cious|tious)/i.test(s));
  if (suffixAt > 0) flags[suffixAt - 1] = true;
  else if (/ity$|ic$|ical$/i.test(lower) && syllables.length >= 3) flags[syllables.length - (lower.endsWith('ical') ? 3 : lower.endsWith('ic') ? 2 : 3)] = true;
  else if (syllables.length <= 3 && STRESS_SECOND_PREFIXES.has(syllables[0]!.toLowerCase()) && !STRESS_FIRST_EXCEPTIONS.has(lower)) flags[1] = true;
  else flags[0] = true;
  // Long words get a secondary stress two syllables after the main one.
  const main = flags.indexOf(true);
  if (main + 2 < syllables.length && syllables.length >= 4) flags[main + 2] = true;
  return flags;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const LATIN = /\p{Script=Latin}/u;

/** Strip what cannot be sung: punctuation around the word, emoji, symbols. Keeps inner apostrophes. */
export function cleanWord(raw: string): string {
  return raw
    .replace(/[\p{Extended_Pictographic}\p{S}\u200d\ufe0f]/gu, '')
    .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '')
    .replace(/’/g, "'");
}

/** Syllables with stress guesses for one whitespace-free token (may yield several words). */
export function syllabifyToken(raw: string): SungWord[] {
  const cleaned = cleanWord(raw);
  if (!cleaned) return [];
  const parts = cleaned.split(/[^\p{L}\p{N}'\p{M}]+/u).filter(Boolean);
  const out: SungWord[] = [];
  for (const part of parts) {
    // Runs of digits are spelled out; letters and digits mixed ("4ever") split into runs.
    for (const run of part.match(/\d+|[^\d]+/g) ?? []) {
      if (/^\d+$/.test(run)) {
        const words = numberToWords(run);
        const syllables = words.flatMap((word) => {
          const s = latinSyllables(word);
          const stress = stressPattern(word, s);
          return s.map((text, i) => ({ text, stressed: stress[i]! }));
        });
        out.push({ word: run, syllables });
      } else {
        const syllables = wordSyllables(run);
        if (syllables.length) out.push({ word: run, syllables });
      }
    }
  }
  return out;
}

function wordSyllables(word: string): Syllable[] {
  const clean = word.replace(/^'+|'+$/g, '');
  if (!clean) return [];
  if (CJK.test(clean)) {
    return [...clean].filter((c) => /\p{L}/u.test(c)).map((text, i) => ({ text, stressed: i % 2 === 0 }));
  }
  if (!LATIN.test(clean)) {
    const chars = [...clean];
    if (chars.length <= 4) return [{ text: clean, stressed: true }];
    const chunks: Syllable[] = [];
    for (let i = 0; i < chars.length; i += 3) chunks.push({ text: chars.slice(i, i + 3).join(''), stressed: i === 0 });
    return chunks;
  }
  const syllables = latinSyllables(clean);
  const stress = stressPattern(clean, syllables);
  return syllables.map((text, i) => ({ text, stressed: stress[i]! }));
}

/** English heuristic syllabification: "beautiful" → ["beau", "ti", "ful"]; "42" → ["for", "ty", "two"]. */
export function syllabify(word: string): string[] {
  return syllabifyToken(word).flatMap((w) => w.syllables.map((s) => s.text));
}

/** Every sung word of a lyric line, in order. */
export function lineWords(line: string): SungWord[] {
  return line.split(/\s+/).flatMap(syllabifyToken);
}
