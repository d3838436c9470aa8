/** EBU R128 loudness of a file (or of a filtergraph branch) with ffmpeg's ebur128 or loudnorm. */
import { localPath, ffmpegPath, type FfmpegBinaries } from '../ffmpeg/tools.js';
import { runTool } from './process.js';

export interface Loudness {
  integratedLufs: number;
  truePeakDbtp: number;
  lra: number;
}

export interface MeasureOptions {
  signal?: AbortSignal;
  binaries?: FfmpegBinaries;
  /** 'ebur128' (default; 4× oversampled true peak) or 'loudnorm' (its first-pass JSON). */
  method?: 'ebur128' | 'loudnorm';
}

/** The ebur128 filter for a measurement branch: summary only, true peak. */
export const EBUR128_FILTER = 'ebur128=peak=true:framelog=verbose';

export async function measureLoudness(path: string, opts: MeasureOptions = {}): Promise<Loudness> {
  const method = opts.method ?? 'ebur128';
  const filter = method === 'loudnorm' ? 'loudnorm=I=-14:TP=-1:LRA=11:print_format=json' : EBUR128_FILTER;
  const { stderr } = await runTool(ffmpegPath(opts.binaries), [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info',
    '-i', localPath(path), '-vn', '-sn', '-dn', '-af', filter, '-f', 'null', '-',
  ], { signal: opts.signal });
  return method === 'loudnorm' ? parseLoudnormJson(stderr) : parseEbur128Summary(stderr);
}

/** The last "Summary" block ebur128 logs at the end of a run. */
export function parseEbur128Summary(log: string): Loudness {
  const at = log.lastIndexOf('Summary:');
  if (at < 0) throw new Error('ebur128 printed no summary');
  const tail = log.slice(at);
  const num = (re: RegExp): number => {
    const m = re.exec(tail);
    if (!m) return Number.NaN;
    return m[1] === '-inf' ? -Infinity : Number(m[1]);
  };
  const integratedLufs = num(/I:\s+(-?[\d.]+|-inf) LUFS/);
  if (!Number.isFinite(integratedLufs)) throw new Error('ebur128 summary has no integrated loudness');
  return { integratedLufs, lra: num(/LRA:\s+(-?[\d.]+) LU/), truePeakDbtp: num(/Peak:\s+(-?[\d.]+|-inf) dBFS/) };
}

/** loudnorm's print_format=json block (the measured input values). */
export function parseLoudnormJson(log: string): Loudness {
  const start = log.lastIndexOf('{');
  const end = log.lastIndexOf('}');
  if (start < 0 || end < start) throw new Error('loudnorm printed no JSON');
  const json = JSON.parse(log.slice(start, end + 1)) as Record<string, string>;
  const n = (k: string): number => (json[k] === '-inf' ? -Infinity : Number(json[k]));
  return { integratedLufs: n('input_i'), truePeakDbtp: n('input_tp'), lra: n('input_lra') };
}
