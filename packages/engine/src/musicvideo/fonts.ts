/**
 * Fonts for captions and cards. libass gets a small fonts directory (Noto Sans, DejaVu Sans and
 * Mono, and Noto Sans CJK when the text needs it) for the styles' fonts; drawtext gets one font
 * file that covers the text.
 *
 * Emoji: libass 0.17 and drawtext draw outline glyphs only, so Noto Color Emoji (a bitmap font)
 * comes out empty. Symbola (fonts-symbola) has outline emoji up to Unicode 9, drawn in the text
 * colour; emoji that no outline font has (🫠 and other newer ones) are found by
 * `undrawableEmoji` so they can be left out.
 */
import { execFile } from 'node:child_process';
import { access, mkdir, readdir, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

const SYSTEM_DIRS = [
  '/usr/share/fonts/truetype/noto', '/usr/share/fonts/opentype/noto', '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/truetype/ancient-scripts', '/usr/share/fonts/noto', '/usr/share/fonts/noto-cjk',
];

/** Files wanted in the captions fonts directory, by name (CJK only when the text needs it). */
export const CAPTION_FONT_FILES = ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf', 'DejaVuSans.ttf', 'DejaVuSansMono.ttf'];
const CJK_FONT_FILES = ['NotoSansCJK-Regular.ttc'];
/** Outline emoji, last in every drawtext font list (Debian's file name, then other distributions'). */
export const EMOJI_FONT_FILES = ['Symbola_hint.ttf', 'Symbola.ttf'];

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Find a font file by name in `extraDir` (if given, searched first) and the usual system places. */
export async function findFontFile(name: string, extraDir?: string): Promise<string | undefined> {
  for (const dir of [...(extraDir ? [extraDir] : []), ...SYSTEM_DIRS]) {
    const candidate = join(dir, name);
    if (await exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A fonts directory for libass: `fontsDir` itself when given, otherwise `dir` filled with links to
 * the system fonts above. Undefined when none was found (libass then uses fontconfig alone).
 * libass finds fallback fonts (for emoji: Symbola) through fontconfig only, not in this directory.
 */
export async function captionFontsDir(dir: string, fontsDir: string | undefined, text: string): Promise<string | undefined> {
  if (fontsDir) return fontsDir;
  await mkdir(dir, { recursive: true });
  let linked = 0;
  // libass reads every font in the directory into memory: the 20 MB CJK font only when needed.
  for (const name of [...CAPTION_FONT_FILES, ...(CJK.test(text) ? CJK_FONT_FILES : [])]) {
    const file = await findFontFile(name);
    if (!file) continue;
    await symlink(file, join(dir, basename(file))).catch(() => undefined);
    linked++;
  }
  return linked ? dir : undefined;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** Code point ranges ([first, last] pairs) from fontconfig's `%{charset}` ("20-7e a0 …"). */
type Charset = number[];

function parseCharset(text: string): Charset {
  const out: Charset = [];
  for (const part of text.trim().split(/\s+/)) {
    const [a, b] = part.split('-');
    if (!a) continue;
    out.push(parseInt(a, 16), parseInt(b ?? a, 16));
  }
  return out;
}

function hasChar(charset: Charset, cp: number): boolean {
  for (let i = 0; i < charset.length; i += 2) if (cp >= charset[i]! && cp <= charset[i + 1]!) return true;
  return false;
}

function run(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 10_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => resolve(error ? undefined : stdout));
  });
}

const charsets = new Map<string, Promise<Charset | undefined>>();

/** The characters a font file has (its first face), from `fc-query`; undefined without fontconfig. */
function charsetOf(file: string): Promise<Charset | undefined> {
  let p = charsets.get(file);
  if (!p) {
    p = run('fc-query', ['--index=0', '--format=%{charset}', file]).then((s) => (s === undefined ? undefined : parseCharset(s)));
    charsets.set(file, p);
  }
  return p;
}

let fallbackChain: Promise<Array<{ outline: boolean; charset: Charset }> | undefined> | undefined;

/**
 * The fonts libass falls back to, in its order: it takes the first font of fontconfig's sorted
 * `sans-serif:outline=true` list that has the character (ass_fontconfig.c, `get_fallback`).
 */
function fallbacks(): NonNullable<typeof fallbackChain> {
  fallbackChain ??= run('fc-match', ['-s', 'sans-serif:outline=true', '--format=%{outline}|%{charset}\n']).then((s) =>
    s?.split('\n').filter(Boolean).map((line) => {
      const [outline, charset = ''] = line.split('|');
      return { outline: outline === 'True', charset: parseCharset(charset) };
    }));
  return fallbackChain;
}

const PICTOGRAPHIC = /\p{Extended_Pictographic}/gu;

/**
 * Emoji in `text` that libass cannot draw: the first fallback font that has them is a bitmap font
 * (Noto Color Emoji), or no font has them. Empty when fontconfig's `fc-match` is not available.
 */
export async function undrawableEmoji(text: string): Promise<Set<string>> {
  const out = new Set<string>();
  const emoji = new Set(text.match(PICTOGRAPHIC) ?? []);
  const chain = emoji.size ? await fallbacks() : undefined;
  if (!chain) return out;
  for (const ch of emoji) {
    const cp = ch.codePointAt(0)!;
    if (!chain.find((f) => hasChar(f.charset, cp))?.outline) out.add(ch);
  }
  return out;
}

/** Not looked for in fonts: spaces, and the selectors and joiners `drawtextText` removes. */
const INVISIBLE = /[\s\u200d\ufe0e\ufe0f]/u;

export interface FontChoice {
  file: string;
  /** Characters of the text the file does not have (empty when unknown: no fontconfig). */
  missing: Set<string>;
}

/**
 * Of the font files named (the first found of each, in order), the first that has every character
 * of `text`, or else the one that has the most. `fontsDir` is searched before the system places.
 */
export async function pickFont(names: readonly string[], text: string, fontsDir?: string): Promise<FontChoice | undefined> {
  const chars = [...new Set(text)].filter((ch) => !INVISIBLE.test(ch));
  let best: FontChoice | undefined;
  for (const name of names) {
    const file = await findFontFile(name, fontsDir);
    if (!file) continue;
    const charset = await charsetOf(file);
    const missing = new Set(charset ? chars.filter((ch) => !hasChar(charset, ch.codePointAt(0)!)) : []);
    if (missing.size === 0) return { file, missing };
    if (!best || missing.size < best.missing.size) best = { file, missing };
  }
  return best;
}

/**
 * A font for drawtext that covers `text`: bold Noto or DejaVu (CJK first for CJK text), else
 * Symbola, whose serif Latin is the price of emoji the bold fonts lack (drawtext has no fallback).
 */
export async function cardFont(text: string, fontsDir?: string): Promise<FontChoice> {
  const names = CJK.test(text)
    ? ['NotoSansCJK-Bold.ttc', 'NotoSansCJK-Regular.ttc', 'NotoSans-Bold.ttf', 'DejaVuSans-Bold.ttf']
    : ['NotoSans-Bold.ttf', 'DejaVuSans-Bold.ttf', 'NotoSans-Regular.ttf', 'DejaVuSans.ttf'];
  const choice = await pickFont([...names, ...EMOJI_FONT_FILES], text, fontsDir);
  if (choice) return choice;
  if (fontsDir) {
    const any = (await readdir(fontsDir).catch(() => [] as string[])).find((f) => /\.(ttf|otf|ttc)$/i.test(f));
    if (any) return { file: join(fontsDir, any), missing: new Set() };
  }
  throw new Error('no font found for title cards (install fonts-noto-core or fonts-dejavu-core, or pass fontsDir)');
}

/** The file of `cardFont`. */
export async function cardFontFile(text: string, fontsDir?: string): Promise<string> {
  return (await cardFont(text, fontsDir)).file;
}

/** Emoji a font choice lacks, and why (for the warning that they were left out). */
export async function missingEmoji(choice: FontChoice): Promise<{ emoji: Set<string>; why: string }> {
  const emoji = new Set([...choice.missing].filter((ch) => /\p{Extended_Pictographic}/u.test(ch)));
  const nowhere = emoji.size > 0 && (await undrawableEmoji([...emoji].join(''))).size === emoji.size;
  return { emoji, why: nowhere ? 'not in any drawable font' : 'not in the font that has the rest of the text' };
}

/** Text for drawtext in one font: without `emoji`, selectors and joiners (it cannot combine them). */
export function drawtextText(text: string, emoji: ReadonlySet<string>): string {
  return stripEmoji(text, emoji).replace(/[\u200d\ufe0e\ufe0f]/gu, '');
}

/** Remove the given emoji (with their variation selectors, joiners and skin tones) from text. */
export function stripEmoji(text: string, emoji: ReadonlySet<string>): string {
  if (emoji.size === 0) return text;
  let out = '';
  let skipping = false;
  for (const ch of text) {
    if (emoji.has(ch)) {
      skipping = true;
      continue;
    }
    if (skipping && /[\u200d\ufe0f\u{1f3fb}-\u{1f3ff}]/u.test(ch)) continue;
    skipping = false;
    out += ch;
  }
  return out.replace(/ {2,}/g, ' ');
}
