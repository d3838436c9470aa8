/**
 * Fonts for captions and cards. libass gets a small fonts directory (Noto Sans, Noto Sans CJK,
 * Noto Color Emoji, DejaVu Sans Mono) so CJK text renders without relying on the system's font
 * configuration; drawtext gets one font file chosen by the text's script.
 */
import { access, mkdir, readdir, symlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

const SYSTEM_DIRS = ['/usr/share/fonts/truetype/noto', '/usr/share/fonts/opentype/noto', '/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/noto', '/usr/share/fonts/noto-cjk'];

/** Files wanted in the captions fonts directory, by name. */
export const CAPTION_FONT_FILES = [
  'NotoSans-Regular.ttf',
  'NotoSans-Bold.ttf',
  'NotoSansCJK-Regular.ttc',
  'NotoColorEmoji.ttf',
  'DejaVuSansMono.ttf',
  'DejaVuSans.ttf',
];

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
export async function captionFontsDir(dir: string, fontsDir?: string): Promise<string | undefined> {
  if (fontsDir) return fontsDir;
  await mkdir(dir, { recursive: true });
  let linked = 0;
  for (const name of CAPTION_FONT_FILES) {
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
