/**
 * Files the graph reads for text: each overlay's text (written by drawtextTextfile) and a font file
 * that covers it — the chosen font when it can, else Noto Sans CJK for CJK text, or DejaVu or
 * Symbola (outline emoji, drawn in the text colour) for emoji; emoji no font has are left out with
 * a warning.
 */
import { drawtextTextfile } from '../ffmpeg/drawtext.js';
import { drawtextText, EMOJI_FONT_FILES, missingEmoji, pickFont, type FontChoice } from '../musicvideo/fonts.js';
import { DEFAULT_FONT, EDIT_FONTS, type OverlayAssets } from './text-style.js';
import type { EditOperation } from './types.js';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** A font for `text` in the named edit font, or the first fallback that has all of it. */
export async function overlayFont(text: string, fontName: string | undefined, fontsDir?: string): Promise<FontChoice> {
  const font = EDIT_FONTS.find((f) => f.name === (fontName ?? DEFAULT_FONT)) ?? EDIT_FONTS[0]!;
  const cjk = font.bold ? ['NotoSansCJK-Bold.ttc', 'NotoSansCJK-Regular.ttc'] : ['NotoSansCJK-Regular.ttc', 'NotoSansCJK-Bold.ttc'];
  const names = [...(CJK.test(text) ? cjk : font.files), 'NotoSans-Bold.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans.ttf', ...EMOJI_FONT_FILES];
  const choice = await pickFont(names, text, fontsDir);
  if (choice) return choice;
  throw new Error('no font found for text overlays (install fonts-noto-core or fonts-dejavu-core, or pass fontsDir)');
}

/** The file of `overlayFont`. */
export async function overlayFontFile(text: string, fontName: string | undefined, fontsDir?: string): Promise<string> {
  return (await overlayFont(text, fontName, fontsDir)).file;
}

export async function prepareTextAssets(
  operations: readonly EditOperation[],
  dir: string,
  opts: { fontsDir?: string; watermark?: string },
  warnings: string[],
): Promise<{ texts: Map<number, OverlayAssets>; watermark?: OverlayAssets }> {
  const texts = new Map<number, OverlayAssets>();
  for (const [index, op] of operations.entries()) {
    if (op.type !== 'text') continue;
    const font = await overlayFont(op.text, op.font, opts.fontsDir);
    const { emoji, why } = await missingEmoji(font);
    if (emoji.size) warnings.push(`operation ${index} (text): ${[...emoji].join(' ')} cannot be drawn (${why}) and were left out`);
    const text = drawtextText(op.text, emoji);
    texts.set(index, { textfile: (await drawtextTextfile(text, dir)).textfile.path, fontfile: font.file });
  }
  let watermark: OverlayAssets | undefined;
  const mark = opts.watermark?.trim();
  if (mark) {
    watermark = { textfile: (await drawtextTextfile(Array.from(mark).slice(0, 200).join(''), dir)).textfile.path, fontfile: await overlayFontFile(mark, 'sans-bold', opts.fontsDir) };
  }
  return { texts, ...(watermark ? { watermark } : {}) };
}
