/**
 * Fonts for captions and cards. libass gets a small fonts directory (Noto Sans, DejaVu Sans and
 * Mono, and Noto Sans CJK when the text needs it) so CJK renders without relying on the system's
 * font configuration; drawtext gets one font file chosen by the text's script.
 *
 * Colour emoji: libass 0.17 and drawtext draw outline glyphs only, so emoji that exist solely in
 * Noto Color Emoji (a bitmap font) would come out as empty boxes; `undrawableEmoji` finds those so
 * they can be left out (emoji with outline glyphs in DejaVu Sans, like ☀ ❤ 😀, are drawn).
 */
import { execFile } from 'node:child_process';
import { access, mkdir, readdir, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

const SYSTEM_DIRS = ['/usr/share/fonts/truetype/noto', '/usr/share/fonts/opentype/noto', '/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/noto', '/usr/share/fonts/noto-cjk'];

/** Files wanted in the captions fonts directory, by name (CJK only when the text needs it). */
export const CAPTION_FONT_FILES = ['NotoSans-Regular.ttf', 'NotoSans-Bold.ttf', 'DejaVuSans.ttf', 'DejaVuSansMono.ttf'];
const CJK_FONT_FILES = ['NotoSansCJK-Regular.ttc'];

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

/** A bold font file for drawtext that covers `text` (CJK when needed). */
export async function cardFontFile(text: string, fontsDir?: string): Promise<string> {
  const names = CJK.test(text)
    ? ['NotoSansCJK-Bold.ttc', 'NotoSansCJK-Regular.ttc', 'NotoSans-Bold.ttf', 'DejaVuSans-Bold.ttf']
    : ['NotoSans-Bold.ttf', 'DejaVuSans-Bold.ttf', 'NotoSans-Regular.ttf', 'DejaVuSans.ttf'];
  for (const name of names) {
    const file = await findFontFile(name, fontsDir);
    if (file) return file;
  }
  if (fontsDir) {
    const any = (await readdir(fontsDir).catch(() => [] as string[])).find((f) => /\.(ttf|otf|ttc)$/i.test(f));
    if (any) return join(fontsDir, any);
  }
  throw new Error('no font found for title cards (install fonts-noto-core or fonts-dejavu-core, or pass fontsDir)');
}

const PICTOGRAPHIC = /\p{Extended_Pictographic}/gu;
const drawable = new Map<string, boolean>();

/**
 * Emoji in `text` that no outline font covers (fontconfig would pick the colour-bitmap emoji font
 * for them). Empty when fontconfig's `fc-match` is not available.
 */
export async function undrawableEmoji(text: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const ch of new Set(text.match(PICTOGRAPHIC) ?? [])) {
    let ok = drawable.get(ch);
    if (ok === undefined) {
      const hex = ch.codePointAt(0)!.toString(16);
      const file = await new Promise<string | undefined>((resolve) => {
        execFile('fc-match', ['--format=%{file}', `sans:charset=${hex}`], { timeout: 5000 }, (error, stdout) => resolve(error ? undefined : stdout));
      });
      ok = file === undefined ? true : !(/emoji/i.test(basename(file)) && /color/i.test(basename(file)));
      drawable.set(ch, ok);
    }
    if (!ok) out.add(ch);
  }
  return out;
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
