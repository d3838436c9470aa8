/**
 * drawtext with literal text. Inline `text=` works (the builder escapes it and `expansion=none`
 * turns off `%{...}`), but the most robust route skips every escaping level: write the text to a
 * file and pass `textfile=<path>:expansion=none`.
 */
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FilterPath } from './filtergraph.js';

export interface DrawtextTextOptions {
  textfile: FilterPath;
  expansion: 'none';
}

/**
 * Write `text` to a new UTF-8 file in `dir` (the caller's temporary directory, which it removes)
 * and return drawtext options to spread into `filter('drawtext', { ...opts, fontfile, ... })`.
 */
export async function drawtextTextfile(text: string, dir: string): Promise<DrawtextTextOptions> {
  const path = resolve(dir, `drawtext-${randomUUID()}.txt`);
  await writeFile(path, text, 'utf8');
  return { textfile: { path }, expansion: 'none' };
}
