/**
 * The reference for the music-video benchmark: the same slideshow a person would write by hand as
 * ONE ffmpeg command — each photo decoded once, scaled to cover the frame with headroom, a
 * zoompan Ken Burns move for exactly its shot's frames, `xfade` (or a plain cut via concat)
 * between shots at the timeline's cut points, the song muxed in — with the same encoder settings
 * as the engine (libx264 superfast, CRF 21, rc-lookahead=5:mbtree=1, yuv420p, 30 fps CFR,
 * GOP 90, AAC 192k stereo, +faststart).
 *
 * It takes its cut times and transitions from the engine's timeline so both do the same work;
 * it has no style look, no overlays and no beat pulse (the benchmark renders the `minimal`
 * style, which has none either).
 */
import { spawn } from 'node:child_process';

export interface ReferenceShot {
  start: number;
  end: number;
  source: string;
  transition?: { type: string; duration: number };
}

export interface ReferenceInput {
  shots: ReferenceShot[];
  audio: string;
  width: number;
  height: number;
  durationSeconds: number;
  output: string;
  fps?: number;
}

/** The ffmpeg arguments (no shell); exposed for the record in the bench output. */
export function slideshowArgs(o: ReferenceInput): string[] {
  const fps = o.fps ?? 30;
  const W = o.width;
  const H = o.height;
  // Headroom for the zoom: decode-side scale to 1.5× the frame (cover), zoompan down to W×H.
  const SW = even(W * 1.5);
  const SH = even(H * 1.5);
  const frame = (t: number) => Math.round(t * fps);
  const totalFrames = frame(o.durationSeconds);

  const args: string[] = [];
  const chains: string[] = [];
  const n = o.shots.length;
  const halfIn = (i: number) => (o.shots[i]!.transition ? frame(o.shots[i]!.transition!.duration) / 2 : 0);
  const lengths: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = o.shots[i]!;
    const startF = i === 0 ? 0 : frame(s.start);
    const endF = i === n - 1 ? totalFrames : frame(o.shots[i + 1]!.start);
    const len = endF - startF + halfIn(i) + (i + 1 < n ? halfIn(i + 1) : 0);
    lengths.push(len);
    args.push('-i', s.source);
    const zoomIn = i % 2 === 0;
    const z = zoomIn ? `1+0.2*on/${len}` : `1.2-0.2*on/${len}`;
    chains.push(
      `[${i}:v]scale=w=${SW}:h=${SH}:force_original_aspect_ratio=increase,crop=${SW}:${SH},setsar=1,` +
        `zoompan=z='${z}':x='(iw-iw/zoom)/2':y='(ih-ih/zoom)/2':d=${len}:s=${W}x${H}:fps=${fps},` +
        `format=yuv420p,settb=1/${fps}[s${i}]`,
    );
  }
  args.push('-i', o.audio);
  let acc = 's0';
  let accLen = lengths[0]!;
  for (let i = 1; i < n; i++) {
    const tr = o.shots[i]!.transition;
    const out = `x${i}`;
    if (tr) {
      const d = frame(tr.duration);
      chains.push(`[${acc}][s${i}]xfade=transition=${tr.type}:duration=${d / fps}:offset=${(accLen - d) / fps}[${out}]`);
      accLen += lengths[i]! - d;
    } else {
      chains.push(`[${acc}][s${i}]concat=n=2:v=1:a=0,settb=1/${fps}[${out}]`);
      accLen += lengths[i]!;
    }
    acc = out;
  }
  return [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
    ...args,
    '-filter_complex', chains.join(';'),
    '-map', `[${acc}]`, '-map', `${n}:a:0`,
    '-c:v', 'libx264', '-preset', 'superfast', '-x264-params', 'rc-lookahead=5:mbtree=1', '-crf', '21',
    '-pix_fmt', 'yuv420p', '-r', String(fps), '-fps_mode', 'cfr', '-g', String(fps * 3),
    '-c:a', 'aac', '-b:a', '192k', '-ac', '2',
    '-t', String(totalFrames / fps),
    '-movflags', '+faststart', '-f', 'mp4', o.output,
  ];
}

/** Runs the reference command; resolves with its wall time in ms. */
export function renderReferenceSlideshow(o: ReferenceInput): Promise<{ wallMs: number; args: string[] }> {
  const args = slideshowArgs(o);
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => {
      err = (err + c.toString('utf8')).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ wallMs: performance.now() - t0, args });
      else reject(new Error(`reference ffmpeg exited with ${code}: ${err.trim().split('\n').slice(-6).join(' | ')}`));
    });
  });
}

function even(x: number): number {
  return 2 * Math.round(x / 2);
}
