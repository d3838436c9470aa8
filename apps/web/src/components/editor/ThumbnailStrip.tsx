import { Box } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';

const FRAMES = 8;
const HEIGHT = 56;

function once(el: HTMLVideoElement, event: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ok = () => {
      el.removeEventListener('error', bad);
      resolve();
    };
    const bad = () => {
      el.removeEventListener(event, ok);
      reject(new Error('video error'));
    };
    el.addEventListener(event, ok, { once: true });
    el.addEventListener('error', bad, { once: true });
  });
}

/**
 * Frames of the source across the timeline, drawn from a hidden second <video> seeked frame by
 * frame in the browser (no server work; the bytes are the ones the player already caches).
 */
export function ThumbnailStrip({ src, duration }: { src: string; duration: number }) {
  const { t } = useTranslation();
  const { ref, width } = useElementSize();
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !width || !duration) return;
    let stopped = false;
    const video = document.createElement('video');
    video.muted = true;
    video.preload = 'auto';
    video.src = src;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(width * dpr);
    el.height = Math.round(HEIGHT * dpr);
    const ctx = el.getContext('2d');
    (async () => {
      if (video.readyState < 2) await once(video, 'loadeddata');
      const slot = el.width / FRAMES;
      for (let i = 0; i < FRAMES && !stopped && ctx; i++) {
        video.currentTime = Math.min(duration - 0.05, ((i + 0.5) * duration) / FRAMES);
        await once(video, 'seeked');
        if (stopped) return;
        // Cover the slot: crop the frame to the slot's aspect.
        const vw = video.videoWidth;
        const vh = video.videoHeight;
        const want = slot / el.height;
        const sw = Math.min(vw, vh * want);
        const sh = sw / want;
        ctx.drawImage(video, (vw - sw) / 2, (vh - sh) / 2, sw, sh, i * slot, 0, slot - dpr, el.height);
        el.dataset.frames = String(i + 1);
      }
    })().catch(() => undefined);
    return () => {
      stopped = true;
      video.removeAttribute('src');
      video.load();
    };
  }, [src, duration, width]);

  return (
    <Box ref={ref} h={HEIGHT} bg="dark.6">
      <canvas ref={canvas} role="img" aria-label={t('editor.frames')} data-testid="thumbnail-strip" style={{ width: '100%', height: HEIGHT, display: 'block' }} />
    </Box>
  );
}
