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
