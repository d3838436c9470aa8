import { mkdir, mkdtemp, readFile, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chain,
  drawtextTextfile,
  escapeFilterArg,
  escapeFilterPath,
  escapeGraphSpecials,
  filter,
  graph,
  localPath,
  quoteOptionValue,
  runFfmpeg,
} from '../src/index.js';
import { avGetToken, parseFilterOptions, parseFiltergraph } from '../src/testing/filtergraph-parser.js';

const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

/** Strings built to break filtergraphs: every special of every level, plus unicode and emoji. */
const hostilePiece = fc.constantFrom(
  '\\', "'", '"', ':', ',', ';', '[', ']', '=', '\n', '\r', '\t', ' ', '  ', '%{', '}', '%{pts}',
  '%{eif:n:d}', '%%', '\\\\', "'\\''", "\\'", '\\:', '[in]', '[0:v]', 'a=b', ':x=1', ';null',
  ',null', 'é', '😀', '漢字', '\u00a0', '\u2028', '$', '|', '@', '#', '{', 'text=', 'k', '0',
);
const hostile = fc
  .oneof(
    fc.array(fc.oneof(hostilePiece, hostilePiece, fc.string({ maxLength: 3 })), { maxLength: 16 }).map((a) => a.join('')),
    fc.string({ unit: 'grapheme', maxLength: 24 }),
    fc.string({ unit: 'binary', maxLength: 24 }),
  )
  .filter((s) => !s.includes('\0'));

/** Well-formed UTF-8 text that fits the metadata filter's 128-byte print line. */
const hostileForFfmpeg = hostile.filter((s) => Buffer.from(s, 'utf8').toString('utf8') === s && Buffer.byteLength(s) <= 100);

const opts = (args: string | null, shorthand?: string[]) => parseFilterOptions(args ?? '', shorthand);

describe('escape: pure model of ffmpeg tokenisation (av_get_token, graphparser, process_options)', () => {
  it('builder graphs keep their shape and round-trip every value (10,000 runs)', () => {
    fc.assert(
      fc.property(hostile, hostile, (text, value) => {
        const g = graph([
          { inputs: ['in'], filters: [filter('drawtext', { text, expansion: 'none' }), filter('null')], outputs: ['mid'] },
          { inputs: ['mid'], filters: [chain(filter('metadata', { mode: 'add', key: 'k', value }), filter('null'))], outputs: ['out'] },
        ]);
        const parsed = parseFiltergraph(g);
        expect(parsed.map((f) => [f.inputs, f.name, f.outputs, f.separator])).toEqual([
          [['in'], 'drawtext', [], ','],
          [[], 'null', ['mid'], ';'],
          [['mid'], 'metadata', [], ','],
          [[], 'null', ['out'], ''],
        ]);
        expect(opts(parsed[0]!.args)).toEqual([['text', text], ['expansion', 'none']]);
        expect(parsed[1]!.args).toBeNull();
        expect(opts(parsed[2]!.args)).toEqual([['mode', 'add'], ['key', 'k'], ['value', value]]);
      }),
      { numRuns: 10_000 },
    );
  });

  it('escapeFilterArg in a hand-written graph: no unescaped separator at either level, exact round trip (10,000 runs)', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const escaped = escapeFilterArg(s);
        // Graph level: the whole escaped value is one token (nothing in it ends the filter's args)…
        const graphCursor = { s: escaped, p: 0 };
        const optionLevel = avGetToken(graphCursor, '[],;');
        expect(graphCursor.p).toBe(escaped.length);
        // …and option level: what remains is one value (no unescaped ':'), equal to the input.
        const optionCursor = { s: optionLevel, p: 0 };
        expect(avGetToken(optionCursor, ':')).toBe(s);
        expect(optionCursor.p).toBe(optionLevel.length);

        const parsed = parseFiltergraph(`[0:v]drawtext=text=${escaped}:fontsize=12,null[v];[v]metadata=${escaped}[out]`);
        expect(parsed.map((f) => f.name)).toEqual(['drawtext', 'null', 'metadata']);
        expect(opts(parsed[0]!.args)).toEqual([['text', s], ['fontsize', '12']]);
        // As a positional (implicit-key) value it is still one value, never read as `key=value`.
        expect(opts(parsed[2]!.args, ['mode', 'key', 'value'])).toEqual([['mode', s]]);
      }),
      { numRuns: 10_000 },
    );
  });

  it('escapeFilterPath keeps paths literal and never lets them read as a protocol', () => {
    fc.assert(
      fc.property(hostile.filter((s) => s.length > 0), (p) => {
        const parsed = parseFiltergraph(`subtitles=filename=${escapeFilterPath(p)},null`);
        expect(parsed).toHaveLength(2);
        const [[key, value]] = opts(parsed[0]!.args) as [[string, string]];
        expect(key).toBe('filename');
        expect(value).toBe(localPath(p));
        expect(value.endsWith(p)).toBe(true);
        // ffmpeg's protocol detection: URL scheme characters followed by ':'.
        expect(/^[A-Za-z0-9+.-]+:/.test(value)).toBe(false);
      }),
      { numRuns: 2_000 },
    );
    expect(escapeFilterPath('/abs/a:b.srt')).toBe("\\'/abs/a:b.srt\\'");
    expect(escapeFilterPath('concat:a|b')).toBe("\\'./concat:a|b\\'");
  });

  it('leaves plain values readable and quotes everything else', () => {
    expect(escapeFilterArg('64x64')).toBe('64x64');
    expect(escapeFilterArg('(w-tw)/2')).toBe('(w-tw)/2');
    expect(escapeFilterArg('')).toBe("\\'\\'");
    expect(escapeFilterArg("it's")).toBe("\\'it\\'\\\\\\'\\'s\\'");
    expect(quoteOptionValue('a:b')).toBe("'a:b'");
    expect(escapeGraphSpecials("a,b;[c]'\\")).toBe("a\\,b\\;\\[c\\]\\'\\\\");
    expect(filter('scale', { w: 640, h: -2, eval: undefined, interl: false })).toBe('scale=w=640:h=-2:interl=0');
    expect(filter('null')).toBe('null');
  });

  it('rejects what cannot be represented', () => {
    expect(() => escapeFilterArg('a\0b')).toThrow(TypeError);
    expect(() => filter('drawtext', { 'text:x': 'a' })).toThrow(TypeError);
    expect(() => filter('draw,text')).toThrow(TypeError);
    expect(() => filter('scale', { w: Number.NaN })).toThrow(TypeError);
    expect(() => graph([{ inputs: ['a]b'], filters: [filter('null')] }])).toThrow(TypeError);
    expect(() => graph([])).toThrow(TypeError);
    expect(() => chain()).toThrow(TypeError);
  });
});

describe('escape: real ffmpeg', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'clipmix-escape-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * One ffmpeg run per batch of strings: each goes into drawtext (expansion=none) and into a
   * metadata tag; a final metadata=print writes every tag to a file. The file must list each tag
   * with exactly its string, then the sentinel tag added after them all: the graph kept its shape
   * and every value arrived unchanged.
   */
  async function roundTrip(strings: string[], form: 'filter_complex' | 'vf', runIndex: number): Promise<void> {
    const out = join(dir, `meta-${runIndex}.txt`);
    const perString = strings.flatMap((s, i) => [
      filter('drawtext', { fontfile: { path: FONT }, expansion: 'none', text: s, fontsize: 8 }),
      filter('metadata', { mode: 'add', key: `k${i}`, value: s }),
    ]);
    const tail = [
      filter('metadata', { mode: 'add', key: 'sentinel', value: 'ok' }),
      filter('metadata', { mode: 'print', file: { path: out } }),
      filter('null'),
    ];
    const args =
      form === 'filter_complex'
        ? ['-filter_complex', graph([{ filters: [filter('color', { c: 'black', s: '64x64', d: 0.04 }), ...perString, ...tail], outputs: ['v'] }]), '-map', '[v]']
        : ['-f', 'lavfi', '-i', 'color=c=black:s=64x64:d=0.04', '-vf', chain(...perString, ...tail)];
    await runFfmpeg([...args, '-f', 'null', '-']);
    const printed = await readFile(out, 'utf8');
    const body = printed.slice(printed.indexOf('\n') + 1);
    expect(body).toBe(strings.map((s, i) => `k${i}=${s}\n`).join('') + 'sentinel=ok\n');
  }

  it('300 hostile strings pass through drawtext and metadata unchanged, graph shape intact', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileForFfmpeg, { minLength: 30, maxLength: 30 }), async (strings) => {
        await roundTrip(strings, run % 2 ? 'vf' : 'filter_complex', run++);
      }),
      { numRuns: 10 },
    );
  });

  it('a hand-written -vf with escapeFilterArg is parsed with the chained filter after it', async () => {
    const s = "x'y:z, [a];b=%{pts}\\\n😀";
    const out = join(dir, 'hand.txt');
    await runFfmpeg([
      '-f', 'lavfi', '-i', 'color=c=black:s=64x64:d=0.04',
      '-vf', `drawtext=fontfile=${escapeFilterPath(FONT)}:expansion=none:text=${escapeFilterArg(s)},metadata=mode=add:key=t:value=${escapeFilterArg(s)},metadata=mode=print:key=t:file=${escapeFilterPath(out)},null`,
      '-f', 'null', '-',
    ]);
    const printed = await readFile(out, 'utf8');
    expect(printed.slice(printed.indexOf('\n') + 1)).toBe(`t=${s}\n`);
  });

  it('hostile file paths (absolute and relative with a colon) reach fontfile, textfile and file=', async () => {
    const weird = join(dir, "we'ird: [x],y;z=%{n}\\ é 😀");
    await mkdir(weird);
    const font = join(weird, "f'o:n,t.ttf");
    await symlink(FONT, font);
    const text = await drawtextTextfile('hello: [world], 100%{pts}', weird);
    expect(text.textfile.path.startsWith(weird)).toBe(true);
    const absoluteOut = join(weird, "out:[1];'.txt");
    await runFfmpeg([
      '-f', 'lavfi', '-i', 'color=c=black:s=64x64:d=0.04',
      '-vf', chain(
        filter('drawtext', { fontfile: { path: font }, ...text }),
        filter('metadata', { mode: 'add', key: 'a', value: '1' }),
        filter('metadata', { mode: 'print', file: { path: absoluteOut } }),
        // Relative to cwd: without the ./ prefix ffmpeg would look for a protocol named "rel".
        filter('metadata', { mode: 'print', file: { path: 'rel:ative.txt' } }),
      ),
      '-f', 'null', '-',
    ], { cwd: weird });
    expect((await stat(absoluteOut)).size).toBeGreaterThan(0);
    expect(await readFile(join(weird, 'rel:ative.txt'), 'utf8')).toContain('a=1\n');
  });

  it('drawtext renders the same pixels from inline text= and from drawtextTextfile', async () => {
    const strings = ["a:b,c;d[e]f'g\\h", '%{pts} 100% {x}', 'zwei\nZeilen', 'é 😀 漢字 =;'];
    // One ffmpeg run renders every string twice (inline, from a file), each to its own raw frame.
    const chains = [];
    const outputs: string[] = [];
    for (const [i, s] of strings.entries()) {
      for (const [form, textOptions] of [
        ['inline', { text: s, expansion: 'none' }],
        ['file', await drawtextTextfile(s, dir)],
      ] as const) {
        chains.push({
          filters: [
            filter('color', { c: 'black', s: '160x48', d: 0.04 }),
            filter('drawtext', { fontfile: { path: FONT }, fontsize: 14, fontcolor: 'white', x: 2, y: 2, ...textOptions }),
            filter('format', { pix_fmts: 'gray' }),
          ],
          outputs: [`${form}${i}`],
        });
        outputs.push('-map', `[${form}${i}]`, '-frames:v', '1', '-f', 'rawvideo', join(dir, `${form}-${i}.gray`));
      }
    }
    await runFfmpeg(['-filter_complex', graph(chains), ...outputs]);
    for (const i of strings.keys()) {
      const inline = await readFile(join(dir, `inline-${i}.gray`));
      const fromFile = await readFile(join(dir, `file-${i}.gray`));
      expect(inline.length).toBe(160 * 48);
      expect(inline.some((b) => b > 128)).toBe(true); // something was drawn
      expect(fromFile.equals(inline)).toBe(true);
    }
  });
});
