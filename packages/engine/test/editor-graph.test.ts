/**
 * The compiled command (pure, no ffmpeg): one run with one filtergraph whose shape never depends
 * on user text — 10,000 hostile texts leave the graph byte-identical, and hostile file paths
 * leave its shape (filters, labels, chains) unchanged with every path read back exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileEdit, type CompileEditInput } from '../src/editor/compile.js';
import { atempoChain, fpsString, type EditSourceInfo } from '../src/editor/pieces.js';
import { validateEditList } from '../src/editor/validate.js';
import type { EditOperation } from '../src/editor/types.js';
import { parseFilterOptions, parseFiltergraph } from '../src/testing/filtergraph-parser.js';

const src = (path: string, width: number, height: number, fps: number, durationSeconds: number, hasAudio = true): EditSourceInfo => ({
  path, width, height, fps, durationSeconds, hasVideo: true, hasAudio,
});
const SOURCES = [src('/in/a.mp4', 640, 360, 30, 10), src('/in/b.mp4', 320, 240, 25, 4, false), { ...src('/in/song.mp3', 0, 0, 0, 60), hasVideo: false }];
const CTX = { sourceCount: 2, sourceKeys: ['song'], durations: [10, 4], keyDurations: { song: 60 }, frame: { width: 640, height: 360 } };

const opsWith = (text: string, watermarkless = false): unknown[] => [
  { type: 'cut', start: 2, end: 3 },
  { type: 'text', text, start: 1, end: 4, position: 'bottom', outline: true, shadow: true, animation: 'fade' },
  { type: 'concat', inputs: [1] },
  { type: 'text', text, start: 10, end: 12, position: { x: 0.2, y: 0.3 }, animation: 'slide', font: 'mono' },
  { type: 'filter', name: 'vintage', intensity: 0.7 },
  { type: 'speed', factor: 1.5 },
  { type: 'audio', mode: 'mix', file: 'song', duck: !watermarkless },
  { type: 'fade', in: 0.5, out: 1 },
];

function compile(ops: EditOperation[], paths: { text: string; font: string; mark: string }): ReturnType<typeof compileEdit> {
  const input: CompileEditInput = {
    operations: ops,
    sources: SOURCES,
    sourceCount: 2,
    keys: ['song'],
    texts: new Map([
      [1, { textfile: paths.text, fontfile: paths.font }],
      [3, { textfile: `${paths.text}.2`, fontfile: paths.font }],
    ]),
    watermark: { textfile: paths.mark, fontfile: paths.font },
    maxHeight: 240,
    output: '/out/edit.mp4',
  };
  return compileEdit(input);
}

function validated(text: string): EditOperation[] | undefined {
  const r = validateEditList(opsWith(text), CTX);
  return r.ok ? r.operations : undefined;
}

/** The graph's shape: each filter's name, pad labels and separator, and its option keys. */
function shape(g: string): string[] {
  return parseFiltergraph(g).map((f) => {
    const keys = f.args === null ? [] : parseFilterOptions(f.args).map(([k]) => k);
    return `${f.inputs.join('|')}>${f.name}(${keys.join(',')})>${f.outputs.join('|')}${f.separator}`;
  });
}

const hostilePiece = fc.constantFrom(
  '\\', "'", '"', ':', ',', ';', '[', ']', '=', '\n', '\r', '\t', ' ', '%{', '}', '%{pts}', '%{eif:n:d}', '%%', '\\\\', "'\\''",
  '[in]', '[0:v]', 'a=b', ':x=1', ';null', ',null', 'é', '😀', '漢字', '\u2028', '$', '|', '#', '{', 'text=', 'textfile=/etc/passwd', 'k', '0',
);
const hostile = fc.oneof(
  fc.array(fc.oneof(hostilePiece, hostilePiece, fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 16 }).map((a) => a.join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 24 }),
);
const PATHS = { text: '/tmp/w/drawtext-1.txt', font: '/usr/share/fonts/NotoSans-Bold.ttf', mark: '/tmp/w/drawtext-2.txt' };

describe('compiled edit graph', () => {
  const baseline = compile(validated('Hello')!, PATHS);

  it('is one ffmpeg run with one filtergraph, H.264 yuv420p + AAC, faststart', () => {
    const { args, graph } = baseline;
    expect(args.filter((x) => x === '-filter_complex')).toHaveLength(1);
    expect(args).toEqual(expect.arrayContaining(['-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-movflags', '+faststart']));
    expect(args[args.length - 1]).toBe('/out/edit.mp4');
    const filters = parseFiltergraph(graph);
    // 3 pieces (a before the cut, a after, b) joined by one concat with audio; b gets silence.
    expect(filters.filter((f) => f.name === 'concat')).toHaveLength(1);
    expect(parseFilterOptions(filters.find((f) => f.name === 'concat')!.args!)).toEqual([['n', '3'], ['v', '1'], ['a', '1']]);
    expect(filters.filter((f) => f.name === 'aevalsrc')).toHaveLength(1);
    expect(filters.filter((f) => f.name === 'drawtext')).toHaveLength(3); // two texts + watermark
    expect(filters.filter((f) => f.name === 'sidechaincompress')).toHaveLength(1);
    // b (320×240) is letterboxed into a's 640×360 frame; the cap scales to 240 high.
    expect(filters.some((f) => f.name === 'pad')).toBe(true);
    expect([baseline.width, baseline.height]).toEqual([426, 240]);
    expect(baseline.durationSeconds).toBeCloseTo((10 - 1 + 4) / 1.5, 9);
    // The two a pieces play in source order: one input (seeked) feeds both through split.
    expect(args.filter((x) => x === '-i')).toHaveLength(3);
  });

  it('the text in 10,000 hostile strings never reaches the graph: the graph is byte-identical', () => {
    // Two overlays (one split by a cut, one on concatenated content) and the watermark.
    const textOps = (text: string): unknown[] => [...opsWith(text).slice(0, 4), { type: 'speed', factor: 1.25 }];
    const build = (ops: EditOperation[]) => compile(ops, PATHS);
    const base = build((validateEditList(textOps('Hello'), CTX) as { operations: EditOperation[] }).operations);
    const baseArgs = base.args.join('\u0000');
    let compiled = 0;
    fc.assert(
      fc.property(hostile, (text) => {
        const r = validateEditList(textOps(text), CTX);
        if (!r.ok) {
          // Rejected only for the documented reasons (empty, control characters), on the text field.
          expect(r.issues.every((i) => i.field === 'text' && i.op === 'text')).toBe(true);
          return;
        }
        compiled++;
        const c = build(r.operations);
        expect(c.graph === base.graph && c.args.join('\u0000') === baseArgs).toBe(true);
      }),
      { numRuns: 10_000 },
    );
    expect(compiled).toBeGreaterThan(7_000);
  });

  it('hostile work-dir and font paths keep the graph shape, and each path reads back exactly', () => {
    const base = shape(baseline.graph);
    fc.assert(
      fc.property(hostile.filter((s) => !s.includes('\0')), hostile.filter((s) => !s.includes('\0')), (dirName, fontName) => {
        const paths = { text: `/tmp/${dirName}/t.txt`, font: `/fonts/${fontName}.ttf`, mark: `/tmp/${dirName}/m.txt` };
        const c = compile(validated('Hello')!, paths);
        expect(shape(c.graph)).toEqual(base);
        const drawtexts = parseFiltergraph(c.graph).filter((f) => f.name === 'drawtext').map((f) => new Map(parseFilterOptions(f.args!)));
        expect(drawtexts.map((o) => o.get('textfile'))).toEqual([paths.text, `${paths.text}.2`, paths.mark]);
        expect(drawtexts.every((o) => o.get('fontfile') === paths.font && o.get('expansion') === 'none')).toBe(true);
      }),
      { numRuns: 1_000 },
    );
  });

  it('speed uses atempo chains within 0.5..2 (pitch kept)', () => {
    expect(atempoChain(0.25)).toEqual([0.5, 0.5]);
    expect(atempoChain(4)).toEqual([2, 2]);
    expect(atempoChain(3)).toEqual([2, 1.5]);
    expect(atempoChain(1)).toEqual([]);
    fc.assert(
      fc.property(fc.double({ min: 0.25 * 0.25, max: 16, noNaN: true }), (s) => {
        const chain = atempoChain(s);
        expect(chain.every((f) => f >= 0.5 && f <= 2)).toBe(true);
        expect(chain.reduce((p, f) => p * f, 1)).toBeCloseTo(s, 5);
      }),
    );
    expect(fpsString(29.97002997)).toBe('30000/1001');
    expect(fpsString(25)).toBe('25');
  });

  it('a text or filter removed by a later cut leaves no filter; partial coverage uses enable', () => {
    const ops: EditOperation[] = [
      { type: 'text', text: 'gone', start: 1, end: 2, position: 'top' },
      { type: 'filter', name: 'bw' },
      { type: 'cut', start: 0.5, end: 2.5 },
      { type: 'concat', inputs: [1] },
    ];
    const c = compileEdit({ operations: ops, sources: SOURCES, sourceCount: 2, keys: ['song'], texts: new Map([[0, { textfile: '/t', fontfile: '/f' }]]), output: '/o.mp4' });
    const filters = parseFiltergraph(c.graph);
    expect(filters.some((f) => f.name === 'drawtext')).toBe(false);
    expect(c.warnings[0]).toContain('operation 0 (text)');
    const hue = new Map(parseFilterOptions(filters.find((f) => f.name === 'hue')!.args!));
    // bw covers a's 8 remaining seconds, not b after them.
    expect(hue.get('enable')).toBe('gte(t,0)*lt(t,8)');
  });

  it('a preview compiles to one frame at t from one seeked piece, without audio', () => {
    const c = compile(validated('Hello')!, PATHS);
    const p = compileEdit({ ...{ operations: validated('Hello')!, sources: SOURCES, sourceCount: 2, keys: ['song'], texts: new Map([[1, { textfile: '/t', fontfile: '/f' }], [3, { textfile: '/t2', fontfile: '/f' }]]) }, output: '/p.jpg', preview: { time: 7, width: 320 } });
    expect(p.args).toEqual(expect.arrayContaining(['-frames:v', '1', '-f', 'image2']));
    expect(p.args.filter((x) => x === '-i')).toHaveLength(1);
    // Output 7 s at 1.5× = edit 10.5 s = b at 1.5 s.
    expect(p.args.slice(0, 10)).toEqual(['-filter_threads', '1', '-ss', '1.5', '-threads', '1', '-t', expect.any(String), '-i', '/in/b.mp4']);
    expect(parseFiltergraph(p.graph).some((f) => f.name.startsWith('a'))).toBe(false);
    expect([p.width, p.height]).toEqual([320, 180]);
    expect(c.durationSeconds).toBe(p.durationSeconds);
  });
});
