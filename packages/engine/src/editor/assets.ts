/**
 * Files the graph reads for text: each overlay's text (written by drawtextTextfile) and a font file
 * that covers it — Noto Sans CJK for CJK text, DejaVu for emoji (its outline glyphs cover the
 * common ones; emoji only a colour bitmap font has are left out with a warning).
 */
import { drawtextTextfile } from '../ffmpeg/drawtext.js';
import { findFontFile, stripEmoji, undrawableEmoji } from '../musicvideo/fonts.js';
import { DEFAULT_FONT, EDIT_FONTS, type OverlayAssets } from './text-style.js';
import type { EditOperation } from './types.js';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/** A font file for `text` in the named edit font. */
export async function overlayFontFile(text: string, fontName: string | undefined, fontsDir?: string): Promise<string> {
  const font = EDIT_FONTS.find((f) => f.name === (fontName ?? DEFAULT_FONT)) ?? EDIT_FONTS[0]!;
  let names = font.files;
  if (CJK.test(text)) names = font.bold ? ['NotoSansCJK-Bold.ttc', 'NotoSansCJK-Regular.ttc'] : ['NotoSansCJK-Regular.ttc', 'NotoSansCJK-Bold.ttc'];
  else if (PICTOGRAPHIC.test(text)) names = font.bold ? ['DejaVuSans-Bold.ttf', 'DejaVuSans.ttf'] : ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'];
  for (const name of [...names, ...font.files, 'NotoSans-Bold.ttf', 'DejaVuSans-Bold.ttf', 'DejaVuSans.ttf']) {
    const file = await findFontFile(name, fontsDir);
    if (file) return file;
  }
  throw new Error('no font found for text overlays (install fonts-noto-core or fonts-dejavu-core, or pass fontsDir)');
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
    const emoji = await undrawableEmoji(op.text);
    if (emoji.size) warnings.push(`operation ${index} (text): ${[...emoji].join(' ')} cannot be drawn (colour emoji font only) and were left out`);
    const text = stripEmoji(op.text, emoji);
    texts.set(index, { textfile: (await drawtextTextfile(text, dir)).textfile.path, fontfile: await overlayFontFile(text, op.font, opts.fontsDir) });
  }
  let watermark: OverlayAssets | undefined;
  const mark = opts.watermark?.trim();
  if (mark) {
    watermark = { textfile: (await drawtextTextfile(Array.from(mark).slice(0, 200).join(''), dir)).textfile.path, fontfile: await overlayFontFile(mark, 'sans-bold', opts.fontsDir) };
  }
  return { texts, ...(watermark ? { watermark } : {}) };
}
