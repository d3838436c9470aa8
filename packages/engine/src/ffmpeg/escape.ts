/**
 * THE escaping path for text that reaches an ffmpeg filtergraph. Nothing else in the engine may
 * splice user text into a graph string.
 *
 * ffmpeg reads a graph such as `drawtext=text=VALUE:fontsize=12,null` in two levels, both with
 * `av_get_token` (backslash escapes one character, '...' quotes a run, unescaped leading and
 * trailing whitespace is dropped):
 *   1. filtergraph level: a filter's argument string ends at an unescaped `[ ] , ;`;
 *   2. option level: inside that string, a value ends at an unescaped `:`.
 * So a value is first made literal for level 2 (`quoteOptionValue`), then the result is made
 * literal for level 1 (`escapeGraphSpecials`). Filters with their own syntax inside a value (drawtext
 * `%{...}` expansion) are a third level: use `expansion=none` or `drawtextTextfile`.
 */
import { localPath } from './tools.js';

/** Values made only of these characters mean the same at both levels and need no quoting. */
const PLAIN_VALUE = /^[A-Za-z0-9_.+\-*/()<>!?^&|~#@%$]+$/;
/** Characters the filtergraph level treats specially inside a filter's argument string. */
const GRAPH_SPECIALS = /[\\'[\],;]/g;

/**
 * Option level: quote `value` so `av_get_token(value, ":")` returns it unchanged. Inside '...'
 * every character is literal, and a quote itself is written as '\'' (close, escaped quote, reopen).
 */
export function quoteOptionValue(value: string): string {
  assertNoNul(value);
  if (PLAIN_VALUE.test(value)) return value;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** Filtergraph level: backslash-escape what would end or alter a filter's argument string. */
export function escapeGraphSpecials(text: string): string {
  assertNoNul(text);
  return text.replace(GRAPH_SPECIALS, '\\$&');
}

/**
 * Escape a filter option value for use inside a filtergraph, e.g.
 * `drawtext=text=${escapeFilterArg(s)}:expansion=none`. Safe after `key=` and also as a positional
 * (implicit-key) value: the result never starts with key characters followed by `=`.
 */
export function escapeFilterArg(value: string): string {
  return escapeGraphSpecials(quoteOptionValue(value));
}

/**
 * Escape a file path for options such as `subtitles=`, `textfile=`, `fontfile=`: relative paths get
 * a `./` prefix (so `a:b.srt` cannot be read as protocol `a:`), then the value is escaped.
 */
export function escapeFilterPath(path: string): string {
  return escapeFilterArg(localPath(path));
}

function assertNoNul(text: string): void {
  // A C string ends at NUL: everything after it would silently vanish.
  if (text.includes('\0')) throw new TypeError('filtergraph text contains a NUL character');
}
