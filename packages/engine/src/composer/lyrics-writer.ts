/**
 * The local lyrics writer. Honest about what it is: no language model, just line templates per
 * section and mood, the theme's keywords dropped into them, and line endings drawn in rhyming
 * pairs from the built-in rhyme table. Deterministic per seed.
 */
import { seededRandom, type Random } from '../musicvideo/random.js';
import { hashString } from './request.js';
import { RHYME_GROUPS } from './rhymes.js';
import type { Genre, Mood } from './types.js';

export interface WriteLyricsOptions {
  theme: string;
  genre: Genre;
  mood: Mood;
  seed?: number;
  /** Verses to write (1–4, default 2); the chorus is written once and repeated. */
  verses?: number;
  /** Write a bridge before the last chorus (default true). */
  bridge?: boolean;
}

export interface WrittenLyrics {
  text: string;
  provider: 'local-template';
}

const STOPWORDS = new Set(
  'a an the and or but of to in on at by for with from as is am are was were be been being it its this that these those i me my mine you your yours we our us they them their he him his she her about into over under song songs music lyrics make write want need like just very really some any all every one two three something thing things feel feeling story kind sort really about while when where what which who why how not no yes more most less best good great new old big small little long short first last next own same other such only also always never ever still even much many few'.split(' '),
);

const MOOD_WORDS: Record<Mood, { adjectives: string[]; fallback: string[] }> = {
  happy: { adjectives: ['golden', 'bright', 'shining', 'sunny'], fallback: ['sunshine', 'summer', 'laughter'] },
  sad: { adjectives: ['fading', 'lonely', 'broken', 'empty'], fallback: ['memories', 'tears', 'silence'] },
  energetic: { adjectives: ['electric', 'wild', 'burning', 'restless'], fallback: ['thunder', 'lightning', 'motion'] },
  calm: { adjectives: ['quiet', 'gentle', 'slow', 'soft'], fallback: ['morning', 'water', 'breathing'] },
  romantic: { adjectives: ['tender', 'sweet', 'velvet', 'warm'], fallback: ['kisses', 'roses', 'candles'] },
  dark: { adjectives: ['hollow', 'cold', 'midnight', 'silent'], fallback: ['shadows', 'ashes', 'secrets'] },
  epic: { adjectives: ['endless', 'mighty', 'rising', 'ancient'], fallback: ['heroes', 'kingdoms', 'thunder'] },
};

// {k} a theme keyword, {a} a mood adjective, {r} the rhyme word that ends the line.
const VERSE_TEMPLATES = [
  'Walking through the {k} in the {r}',
  '{K} is calling from the {r}',
  'I still hear the {k} by the {r}',
  'Every {k} leads me to the {r}',
  'We were chasing {k} across the {r}',
  'Holding on to {k} and the {r}',
  'Tell me why the {k} fills the {r}',
  '{A} {k} underneath the {r}',
  'Counting every {a} {k} to the {r}',
  'You and me and {k} on the {r}',
];
const CHORUS_TEMPLATES = [
  'Oh {k}, take me to the {r}',
  'We are {a} like the {r}',
  'Sing it for the {k} and the {r}',
  '{K}, {k}, light up the {r}',
  'Never let the {k} leave the {r}',
  'Hold me in the {a} {r}',
];
const BRIDGE_TEMPLATES = [
  'When the {k} fades into the {r}',
  'And if the {a} {k} finds the {r}',
  'All we need is {k} and the {r}',
  'Maybe {k} was always in the {r}',
];

/** Content words of the theme, in order, without duplicates. */
export function themeKeywords(theme: string): string[] {
  const words = theme.toLowerCase().normalize('NFC').match(/[\p{L}][\p{L}'-]*/gu) ?? [];
  const out: string[] = [];
  for (const w of words) if (w.length >= 3 && !STOPWORDS.has(w) && !out.includes(w)) out.push(w);
  return out.slice(0, 8);
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function fill(template: string, keyword: string, adjective: string, rhyme: string): string {
  return template
    .replace(/\{K\}/g, capitalize(keyword))
    .replace(/\{k\}/g, keyword)
    .replace(/\{A\}/g, capitalize(adjective))
    .replace(/\{a\}/g, adjective)
    .replace(/\{r\}/g, rhyme);
}

function couplets(rng: Random, templates: string[], pairs: number, keywords: string[], adjectives: string[], usedGroups: Set<string>): string[] {
  const lines: string[] = [];
  const order = rng.shuffle(templates);
  for (let p = 0; p < pairs; p++) {
    const groups = Object.keys(RHYME_GROUPS).filter((g) => !usedGroups.has(g));
    const group = rng.pick(groups.length ? groups : Object.keys(RHYME_GROUPS));
    usedGroups.add(group);
    const [first, second] = rng.shuffle(RHYME_GROUPS[group]!);
    for (const [i, rhyme] of [first!, second!].entries()) {
      const template = order[(2 * p + i) % order.length]!;
      lines.push(fill(template, keywords[(2 * p + i) % keywords.length]!, rng.pick(adjectives), rhyme));
    }
  }
  return lines;
}

export function writeLyrics(opts: WriteLyricsOptions): WrittenLyrics {
  const seed = opts.seed ?? hashString(`${opts.theme}|${opts.genre}|${opts.mood}`);
  const rng = seededRandom(seed ^ 0x1f1c5);
  const words = MOOD_WORDS[opts.mood];
  const found = themeKeywords(opts.theme);
  const keywords = found.length ? found : words.fallback;
  const verses = Math.min(4, Math.max(1, Math.round(opts.verses ?? 2)));
  const used = new Set<string>();
  // The chorus leads with the main keyword so the hook carries the theme.
  const chorus = couplets(rng, CHORUS_TEMPLATES, 2, [keywords[0]!, ...keywords.slice(1), keywords[0]!], words.adjectives, used);
  const blocks: string[] = [];
  for (let v = 0; v < verses; v++) {
    const rotated = [...keywords.slice(v % keywords.length), ...keywords.slice(0, v % keywords.length)];
    blocks.push(`[Verse ${v + 1}]\n${couplets(rng, VERSE_TEMPLATES, 2, rotated, words.adjectives, used).join('\n')}`);
    blocks.push(`[Chorus]\n${chorus.join('\n')}`);
    if (v === verses - 1 && opts.bridge !== false) {
      blocks.push(`[Bridge]\n${couplets(rng, BRIDGE_TEMPLATES, 1, rng.shuffle(keywords), words.adjectives, used).join('\n')}`);
    }
  }
  blocks.push(`[Chorus]\n${chorus.join('\n')}`);
  return { text: blocks.join('\n\n') + '\n', provider: 'local-template' };
}
