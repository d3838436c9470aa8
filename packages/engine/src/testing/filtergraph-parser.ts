/**
 * A line-by-line TypeScript port of how libavfilter (FFmpeg 5.1) reads a filtergraph string:
 * `av_get_token` (libavutil/avstring.c), `avfilter_graph_parse2` with `parse_inputs`,
 * `parse_filter`, `parse_outputs` (libavfilter/graphparser.c) and `av_opt_get_key_value` as used by
 * `process_options` (libavutil/opt.c, libavfilter/avfilter.c). Tests use it to check, for any text,
 * what ffmpeg would see; it is not used to run anything.
 */

const WHITESPACES = ' \n\t\r';

interface Cursor {
  s: string;
  p: number;
}

/** av_get_token: read up to an unescaped, unquoted character of `term`. */
export function avGetToken(cur: Cursor, term: string): string {
  const { s } = cur;
  let p = cur.p;
  while (p < s.length && WHITESPACES.includes(s[p]!)) p++;
  let out = '';
  let end = 0;
  while (p < s.length && !term.includes(s[p]!)) {
    const c = s[p++]!;
    if (c === '\\' && p < s.length) {
      out += s[p++];
      end = out.length;
    } else if (c === "'") {
      while (p < s.length && s[p] !== "'") out += s[p++];
      if (p < s.length) {
        p++;
        end = out.length;
      }
    } else {
      out += c;
    }
  }
  while (out.length > end && WHITESPACES.includes(out[out.length - 1]!)) out = out.slice(0, -1);
  cur.p = p;
  return out;
}

export interface ParsedFilter {
  inputs: string[];
  name: string;
  /** The filter's argument string after graph-level unescaping; null when there was no `=`. */
  args: string | null;
  outputs: string[];
}

export class GraphSyntaxError extends Error {
  override name = 'GraphSyntaxError';
}

function skipWhitespace(cur: Cursor): void {
  while (cur.p < cur.s.length && WHITESPACES.includes(cur.s[cur.p]!)) cur.p++;
}

function parseLinkName(cur: Cursor): string {
  cur.p++; // '['
  const name = avGetToken(cur, ']');
  if (!name) throw new GraphSyntaxError(`bad (empty?) label at ${cur.p}`);
  if (cur.s[cur.p++] !== ']') throw new GraphSyntaxError(`mismatched '[' at ${cur.p}`);
  return name;
}

function parseLabels(cur: Cursor): string[] {
  const names: string[] = [];
  while (cur.s[cur.p] === '[') {
    names.push(parseLinkName(cur));
    skipWhitespace(cur);
  }
  return names;
}

/** avfilter_graph_parse2: the filters of a graph in order, with the separator that followed each. */
export function parseFiltergraph(text: string): Array<ParsedFilter & { separator: ',' | ';' | '' }> {
  const cur: Cursor = { s: text, p: 0 };
  const filters: Array<ParsedFilter & { separator: ',' | ';' | '' }> = [];
  let chr: string | undefined;
  do {
    skipWhitespace(cur);
    const inputs = parseLabels(cur);
    const name = avGetToken(cur, '=,;[');
    if (!name) throw new GraphSyntaxError(`no filter name at ${cur.p}`);
    let args: string | null = null;
    if (cur.s[cur.p] === '=') {
      cur.p++;
      args = avGetToken(cur, '[],;');
    }
    const outputs = parseLabels(cur);
    skipWhitespace(cur);
    chr = cur.p < cur.s.length ? cur.s[cur.p++] : undefined;
    filters.push({ inputs, name, args, outputs, separator: chr === ',' || chr === ';' ? chr : '' });
  } while (chr === ',' || chr === ';');
  if (chr !== undefined) throw new GraphSyntaxError(`unable to parse graph description substring at ${cur.p - 1}`);
  return filters;
}

function isKeyChar(c: string | undefined): boolean {
  return c !== undefined && /^[A-Za-z0-9\-_/.]$/.test(c);
}

/**
 * process_options: split a filter's argument string into [key, value] pairs. `shorthand` lists the
 * filter's option names in order, used for leading values given without `key=`.
 */
export function parseFilterOptions(args: string, shorthand: string[] = []): Array<[string, string]> {
  const cur: Cursor = { s: args, p: 0 };
  const pairs: Array<[string, string]> = [];
  let implicit = [...shorthand];
  while (cur.p < args.length) {
    // get_key: key characters, optional whitespace, then '='.
    let q = cur.p;
    while (q < args.length && WHITESPACES.includes(args[q]!)) q++;
    const keyStart = q;
    while (isKeyChar(args[q])) q++;
    const key = args.slice(keyStart, q);
    while (q < args.length && WHITESPACES.includes(args[q]!)) q++;
    let parsedKey: string | null = null;
    if (args[q] === '=') {
      parsedKey = key;
      cur.p = q + 1;
    } else if (implicit.length === 0) {
      throw new GraphSyntaxError(`no option name near '${args.slice(cur.p)}'`);
    }
    const value = avGetToken(cur, ':');
    if (cur.p < args.length) cur.p++;
    if (parsedKey !== null) {
      implicit = [];
      pairs.push([parsedKey, value]);
    } else {
      pairs.push([implicit.shift()!, value]);
    }
  }
  return pairs;
}
