/**
 * CSS approximations of the engine's filters, for live playback and scrubbing only: when the
 * player is paused the exact frame rendered by the server replaces them.
 */
const LOOKS: Record<string, string> = {
  bw: 'grayscale(1)',
  noir: 'grayscale(1) contrast(1.4) brightness(0.9)',
  sepia: 'sepia(0.9)',
  vintage: 'sepia(0.45) contrast(0.9) saturate(0.8) brightness(1.05)',
  vivid: 'saturate(1.6) contrast(1.1)',
  warm: 'sepia(0.25) saturate(1.2) hue-rotate(-8deg)',
  cool: 'saturate(0.95) hue-rotate(12deg) brightness(1.02)',
  blur: 'blur(3px)',
  sharpen: 'contrast(1.15)',
  vignette: 'brightness(0.95)',
  grain: 'contrast(1.05)',
  vhs: 'saturate(1.3) contrast(1.1) blur(0.6px)',
  fade_black: 'brightness(0.85)',
  cinematic: 'contrast(1.15) saturate(0.85)',
  matte: 'contrast(0.85) brightness(1.08) saturate(0.85)',
  dramatic: 'contrast(1.35) saturate(1.1) brightness(0.95)',
};

export function cssLook(name: string | null): string | undefined {
  return name ? (LOOKS[name] ?? undefined) : undefined;
}
