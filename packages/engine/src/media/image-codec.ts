/** ffmpeg encoder arguments for writing one still image, chosen by the output's extension. */
import { extname } from 'node:path';

const IMAGE_ENCODERS: Record<string, string[]> = {
  '.jpg': ['-c:v', 'mjpeg', '-q:v', '3'],
  '.jpeg': ['-c:v', 'mjpeg', '-q:v', '3'],
  '.webp': ['-c:v', 'libwebp', '-quality', '80'],
  '.png': ['-c:v', 'png'],
};

/** `-c:v …` for .jpg/.jpeg, .webp or .png; throws TypeError for anything else. */
export function imageEncoderArgs(path: string): string[] {
  const ext = extname(path).toLowerCase();
  const args = IMAGE_ENCODERS[ext];
  if (!args) throw new TypeError(`unsupported image extension ${JSON.stringify(ext)} (.jpg .jpeg .webp .png)`);
  return args;
}
