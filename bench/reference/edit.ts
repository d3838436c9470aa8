/**
 * The reference for the editor benchmark: the edit a person would write by hand as ONE ffmpeg
 * command — seek the input to the trim, draw the title (drawtext from a text file), a warm
 * colour balance, fades in and out on picture and sound — with the same encoder settings as the
 * engine (libx264 veryfast CRF 20, yuv420p, GOP 2 s, AAC 192k 48 kHz stereo, +faststart).
 *
 * The benchmark's edit list: trim → text (bottom, outline) → filter warm → fade in/out.
 */
import { spawn } from 'node:child_process';

export interface ReferenceEditInput {
  source: string;
  start: number;
  end: number;
  fps: number;
  /** The title, already written to a file, and its font. */
  textfile: string;
  fontfile: string;
  textStart: number;
  textEnd: number;
  fadeIn: number;
  fadeOut: number;
  output: string;
}

export function editReferenceArgs(o: ReferenceEditInput): string[] {
  const d = o.end - o.start;
  const video = [
    `drawtext=textfile=${o.textfile}:expansion=none:fontfile=${o.fontfile}:fontsize=50:fontcolor=white:x=(w-text_w)/2:y=h-text_h-h*0.06:borderw=3:bordercolor=black:enable='between(t,${o.textStart},${o.textEnd})'`,
    'colorbalance=rs=0.1:rm=0.08:bs=-0.1:bm=-0.08',
    `fade=t=in:st=0:d=${o.fadeIn}`,
    `fade=t=out:st=${d - o.fadeOut}:d=${o.fadeOut}`,
    'format=yuv420p',
  ].join(',');
  const audio = `afade=t=in:st=0:d=${o.fadeIn},afade=t=out:st=${d - o.fadeOut}:d=${o.fadeOut}`;
  return [
    '-hide_banner', '-nostdin', '-y', '-loglevel', 'error',
    '-ss', String(o.start), '-t', String(d), '-i', o.source,
    '-filter_complex', `[0:v]${video}[v];[0:a]${audio}[a]`,
    '-map', '[v]', '-map', '[a]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p', '-g', String(Math.round(o.fps * 2)),
    '-c:a', 'aac', '-b:a', '192k', '-ar', '48000', '-ac', '2',
    '-movflags', '+faststart', '-f', 'mp4', o.output,
  ];
}

/** Runs the reference command; resolves with its wall time in ms. */
export function renderReferenceEdit(o: ReferenceEditInput): Promise<{ wallMs: number; args: string[] }> {
  const args = editReferenceArgs(o);
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
