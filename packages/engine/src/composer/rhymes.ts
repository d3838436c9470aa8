/**
 * The lyrics writer's rhyme dictionary: small hand-made lists of nouns grouped by their final
 * sound. Lines end on these words so "fits the template" and "rhymes" can both be checked.
 */
export const RHYME_GROUPS: Record<string, readonly string[]> = {
  ight: ['night', 'light', 'flight', 'sight', 'fight', 'kite', 'height', 'twilight', 'daylight', 'moonlight'],
  ain: ['rain', 'train', 'lane', 'chain', 'plane', 'vein', 'windowpane', 'hurricane'],
  ire: ['fire', 'wire', 'choir', 'desire', 'spire', 'empire', 'sapphire'],
  art: ['heart', 'start', 'chart', 'part', 'art', 'cart', 'dart'],
  ay: ['day', 'way', 'bay', 'ray', 'play', 'spray', 'highway', 'yesterday', 'runway'],
  ee: ['sea', 'tree', 'key', 'melody', 'memory', 'symphony', 'harmony', 'galaxy'],
  ong: ['song', 'throng', 'gong', 'sing-along'],
  eam: ['dream', 'stream', 'beam', 'gleam', 'team', 'seam', 'daydream', 'moonbeam'],
  one: ['stone', 'bone', 'throne', 'zone', 'tone', 'phone', 'cologne', 'microphone'],
  oon: ['moon', 'tune', 'june', 'afternoon', 'balloon', 'dune', 'lagoon', 'monsoon'],
  and: ['land', 'hand', 'sand', 'band', 'strand', 'wonderland', 'grand'],
  ace: ['place', 'space', 'face', 'race', 'grace', 'lace', 'trace', 'embrace'],
  ound: ['sound', 'ground', 'mound', 'playground', 'underground', 'merry-go-round'],
  ile: ['mile', 'smile', 'style', 'aisle', 'isle', 'crocodile'],
  ame: ['name', 'game', 'frame', 'fame', 'flame', 'picture frame'],
  eet: ['street', 'beat', 'heat', 'seat', 'sheet', 'heartbeat', 'concrete'],
  ore: ['door', 'floor', 'shore', 'core', 'roar', 'dance floor', 'seashore'],
  ear: ['year', 'frontier', 'pier', 'cheer', 'sphere', 'atmosphere', 'souvenir'],
  ow: ['glow', 'snow', 'show', 'flow', 'radio', 'rainbow', 'window', 'shadow'],
  ky: ['sky', 'lullaby', 'butterfly', 'goodbye', 'July', 'firefly'],
};

/** Each word's group; a word that sits in two lists (e.g. "flame") keeps the first. */
const GROUP_OF = new Map<string, string>();
for (const [group, words] of Object.entries(RHYME_GROUPS)) for (const w of words) if (!GROUP_OF.has(w)) GROUP_OF.set(w, group);

/** The rhyme group of a line's last word (or a word), undefined when it is not in the table. */
export function rhymeGroupOf(wordOrLine: string): string | undefined {
  const words = wordOrLine.toLowerCase().replace(/[^\p{L}\s'-]/gu, ' ').trim().split(/\s+/);
  for (const n of [2, 1]) {
    if (words.length >= n) {
      const group = GROUP_OF.get(words.slice(-n).join(' '));
      if (group) return group;
    }
  }
  return undefined;
}
