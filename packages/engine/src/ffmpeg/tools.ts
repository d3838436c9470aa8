/**
 * Which ffmpeg/ffprobe executables to run. The engine never reads the environment: by default the
 * tools are looked up on PATH, and a caller (the server's config) may pass explicit paths.
 */
export interface FfmpegBinaries {
  ffmpeg?: string;
  ffprobe?: string;
}

export function ffmpegPath(binaries?: FfmpegBinaries): string {
  return binaries?.ffmpeg ?? 'ffmpeg';
}

export function ffprobePath(binaries?: FfmpegBinaries): string {
  return binaries?.ffprobe ?? 'ffprobe';
}

/**
 * A file path as ffmpeg must see it to open exactly that local file. ffmpeg reads `name:rest` as a
 * protocol (`http:`, `concat:`, ...) and `-x` as an option, so relative paths get a `./` prefix,
 * which neither can start with.
 */
export function localPath(path: string): string {
  if (path === '') throw new TypeError('empty file path');
  if (path.includes('\0')) throw new TypeError('file path contains a NUL character');
  return path.startsWith('/') || path.startsWith('./') || path.startsWith('../') ? path : `./${path}`;
}
