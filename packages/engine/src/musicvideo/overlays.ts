/**
 * Layers drawn over the edited shots, as filter chains. Cheap by construction:
 * - vignette and scanlines are one static luma mask (a Y4M frame written here) applied with a
 *   single `blend=multiply`, not per-pixel filters;
 * - the beat flash is an `eq` enabled only on flash frames;
 * - letterbox is crop + pad; grain/VHS noise is the SIMD `noise` filter;
 * - waveform/spectrum are small overlays along the bottom;
 * - title/end cards are drawtext from a text file (`expansion=none`), captions are libass.
 * Times in these chains are local to the segment being rendered (t = 0 at its first frame).
 */
import { open } from 'node:fs/promises';
import { filter, filterPath, type Filter, type FilterChain, type GraphChain } from '../ffmpeg/filtergraph.js';
import { bump, num, pulseTree, pulseWidth } from './expr.js';
import { TIMELINE_FPS, type Layer } from './timeline.js';

type LayerOf<T extends Layer['type']> = Extract<Layer, { type: T }>;

/** Sample rate of the audio the waveform and spectrum layers draw (see `postChains`). */
const VIS_SAMPLE_RATE = 44100;

/** True when the layers need a luma mask (vignette, VHS scanlines). */
export function needsDecorMask(layers: readonly Layer[]): boolean {
  return layers.some((l) => (l.type === 'vignette' || l.type === 'vhs') && l.strength > 0);
}

/**
 * Write the static luma multiplier (255 = unchanged) for vignette and scanlines as a one-frame
 * Y4M file, streamed row by row.
 */
export async function writeDecorMask(path: string, width: number, height: number, layers: readonly Layer[]): Promise<void> {
  const vignette = (layers.find((l) => l.type === 'vignette') as LayerOf<'vignette'> | undefined)?.strength ?? 0;
  const vhs = (layers.find((l) => l.type === 'vhs') as LayerOf<'vhs'> | undefined)?.strength ?? 0;
  const file = await open(path, 'w');
  try {
    await file.write(`YUV4MPEG2 W${width} H${height} F${TIMELINE_FPS}:1 Ip A1:1 C420jpeg\nFRAME\n`);
    const cx = (width - 1) / 2;
    const cy = (height - 1) / 2;
    // Normalised so the corners are at r = 1 whatever the aspect.
    const norm = Math.hypot(cx, cy);
    const row = Buffer.alloc(width);
    const lineGap = Math.max(2, Math.round(height / 240));
    for (let y = 0; y < height; y++) {
      const scan = vhs > 0 && y % lineGap === 0 ? 1 - 0.35 * vhs : 1;
      for (let x = 0; x < width; x++) {
        const r = Math.hypot(x - cx, y - cy) / norm;
        const t = Math.min(1, Math.max(0, (r - 0.45) / 0.6));
        const v = 1 - vignette * 0.65 * t * t * (3 - 2 * t);
        row[x] = Math.round(255 * v * scan);
      }
      await file.write(row);
    }
    const chroma = Buffer.alloc((width >> 1) * (height >> 1), 128);
    await file.write(chroma);
    await file.write(chroma);
  } finally {
    await file.close();
  }
}

export interface CardText {
  layer: LayerOf<'title_card'> | LayerOf<'end_card'>;
  /** drawtext options from the ffmpeg layer's `drawtextTextfile` (text in a file, no expansion). */
  text: { textfile: { path: string }; expansion: 'none' };
  fontfile: string;
  /** Font size in pixels. */
  fontSize: number;
}

export interface PostChainOptions {
  layers: readonly Layer[];
  width: number;
  height: number;
  /** Segment start (s, absolute), length (s) and frame count. */
  t0: number;
  seconds: number;
  frames: number;
  /** Absolute beat and downbeat times. */
  beats: readonly number[];
  downbeats: readonly number[];
  decorMask?: string;
  cards: CardText[];
  /** ASS file (times already local to the segment) and fonts directory. */
  ass?: { path: string; fontsDir?: string };
  /** Pad label of the segment's audio (needed by waveform/spectrum). */
  audio?: string;
}

/**
 * Chains taking `[input]` to `[output]` with every layer applied. Returns the chains (to add to
 * the graph) — empty input/output wiring is the caller's.
 */
export function postChains(input: string, output: string, o: PostChainOptions): GraphChain[] {
  const chains: GraphChain[] = [];
  const main: Array<Filter | FilterChain> = [];
  let label = input;
  let step = 0;
  const flush = (): void => {
    if (main.length === 0) return;
    const next = `post${step++}`;
    chains.push({ inputs: [label], filters: [...main], outputs: [next] });
    main.length = 0;
    label = next;
  };

  for (const layer of o.layers) {
    if (layer.type !== 'beat_pulse' || layer.mode === 'zoom' || layer.strength <= 0) continue;
    const times = (layer.on === 'downbeats' ? o.downbeats : o.beats)
      .map((b) => b - o.t0)
      .filter((b) => b > -0.2 && b < o.seconds);
    if (times.length === 0) continue;
    const width = pulseWidth(times, 0.14);
    main.push(filter('eq', {
      brightness: `${num(0.22 * layer.strength)}*${pulseTree(times, 't', (b) => bump('t', b, width))}`,
      eval: 'frame',
      enable: pulseTree(times, 't', (b) => `between(t,${num(b)},${num(b + width)})`),
    }));
  }
  if (o.decorMask) {
    flush();
    const mask = `decor${step}`;
    chains.push({ filters: [filter('movie', { filename: filterPath(o.decorMask) }), filter('format', { pix_fmts: 'yuv420p' })], outputs: [mask] });
    const next = `post${step++}`;
    chains.push({ inputs: [label, mask], filters: [filter('blend', { c0_mode: 'multiply' })], outputs: [next] });
    label = next;
  }
  for (const layer of o.layers) {
    if (layer.type === 'grain' && layer.strength > 0) {
      main.push(filter('noise', { c0s: Math.max(1, Math.round(layer.strength * 24)), c0f: 't+u' }));
    } else if (layer.type === 'vhs' && layer.strength > 0) {
      const shift = Math.max(1, Math.round(layer.strength * 5));
      main.push(
        filter('chromashift', { cbh: -shift, crh: shift }),
        filter('noise', { c0s: Math.max(1, Math.round(layer.strength * 30)), c0f: 't+u', c1s: Math.round(layer.strength * 8), c1f: 't' }),
      );
    } else if (layer.type === 'letterbox' && o.width / o.height >= 1.5) {
      const content = 2 * Math.round(o.width / layer.ratio / 2);
      if (content < o.height - 4) {
        const top = 2 * Math.round((o.height - content) / 4);
        main.push(
          filter('crop', { w: o.width, h: content, x: 0, y: top }),
          filter('pad', { w: o.width, h: o.height, x: 0, y: top, color: 'black' }),
        );
      }
    }
  }
  // Audio-reactive overlays along the bottom: spectrum lowest, waveform above it.
  let bottom = o.height;
  const visual = o.layers.filter((l): l is LayerOf<'spectrum'> | LayerOf<'waveform'> => l.type === 'spectrum' || l.type === 'waveform');
  const ordered = [...visual.filter((l) => l.type === 'spectrum'), ...visual.filter((l) => l.type === 'waveform')];
  if (ordered.length && o.audio) {
    flush();
    // At 44.1 kHz showwaves and showfreqs draw a new picture for every one of the 30 frames a
    // second; from lower-rate audio (ffmpeg 5.1, measured at 22.05 kHz) showwaves draws ~23 a
    // second and showfreqs repeats about one frame in four, so the layer visibly stutters.
    // Resampling the layers' copy of the audio (not the song's) keeps them at 30.
    const visRate = filter('aresample', { out_sample_rate: VIS_SAMPLE_RATE });
    const sources = ordered.length > 1 ? ordered.map((_, i) => `vis_a${i}`) : ['vis_a0'];
    chains.push({ inputs: [o.audio], filters: ordered.length > 1 ? [visRate, filter('asplit', { outputs: ordered.length })] : [visRate], outputs: sources });
    ordered.forEach((layer, i) => {
      const h = Math.max(8, 2 * Math.round((layer.height * o.height) / 2));
      const color = `${layer.color.replace('#', '0x')}@${num(layer.opacity)}`;
      const src = layer.type === 'waveform'
        ? filter('showwaves', { s: `${o.width}x${h}`, mode: 'cline', rate: TIMELINE_FPS, colors: color, scale: 'sqrt', draw: 'full' })
        : filter('showfreqs', { s: `${o.width}x${h}`, mode: 'bar', ascale: 'log', fscale: 'log', win_size: 2048, rate: TIMELINE_FPS, colors: color });
      const vis = `vis${i}`;
      chains.push({ inputs: [sources[i]!], filters: [src, filter('format', { pix_fmts: 'yuva420p' })], outputs: [vis] });
      const y = bottom - h;
      bottom = y;
      const next = `post${step++}`;
      chains.push({ inputs: [label, vis], filters: [filter('overlay', { x: 0, y, format: 'yuv420', eof_action: 'pass' })], outputs: [next] });
      label = next;
    });
  }
  for (const card of o.cards) {
    const a = card.layer.start - o.t0;
    const b = card.layer.end - o.t0;
    if (b <= 0 || a >= o.seconds) continue;
    const fade = Math.min(0.5, (card.layer.end - card.layer.start) / 4);
    main.push(filter('drawtext', {
      fontfile: filterPath(card.fontfile),
      ...card.text,
      fontsize: card.fontSize,
      fontcolor: 'white',
      borderw: Math.max(1, Math.round(card.fontSize / 18)),
      bordercolor: 'black@0.7',
      line_spacing: Math.round(card.fontSize * 0.25),
      x: '(w-text_w)/2',
      y: '(h-text_h)/2',
      alpha: `if(lt(t,${num(a + fade)}),(t-${num(a)})/${num(fade)},if(gt(t,${num(b - fade)}),(${num(b)}-t)/${num(fade)},1))`,
      enable: `between(t,${num(a)},${num(b)})`,
    }));
  }
  if (o.ass) {
    main.push(filter('ass', { filename: filterPath(o.ass.path), ...(o.ass.fontsDir ? { fontsdir: filterPath(o.ass.fontsDir) } : {}) }));
  }
  // Exactly the segment's frames (the encoder gets no frame limit: in ffmpeg 5.1 `-frames:v`
  // closes every stream of the file, cutting the audio short).
  main.push(filter('trim', { end_frame: o.frames }), filter('format', { pix_fmts: 'yuv420p' }));
  chains.push({ inputs: [label], filters: [...main], outputs: [output] });
  return chains;
}
