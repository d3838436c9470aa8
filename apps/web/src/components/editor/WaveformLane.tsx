import { Box } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useWaveform } from '../../api/files';
import { bucketPeaks } from '../files/peaks';

/** The source's audio waveform (its waveform_url peaks), stretched over the timeline. */
export function WaveformLane({ url, label }: { url: string | null; label: string }) {
  const { ref, width } = useElementSize();
  const canvas = useRef<HTMLCanvasElement>(null);
  const waveform = useWaveform(url);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !width || !waveform.data) return;
    const height = 40;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(width * dpr);
    el.height = Math.round(height * dpr);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.scale(dpr, dpr);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = getComputedStyle(el).color || '#9775fa';
    const bars = Math.max(1, Math.floor(width / 3));
    bucketPeaks(waveform.data.peaks, bars).forEach((v, i) => {
      const h = Math.max(1, v * (height - 4));
      ctx.fillRect(i * 3, (height - h) / 2, 2, h);
    });
  }, [width, waveform.data]);

  return (
    <Box ref={ref} h={40} c="violet.4" style={{ position: 'relative' }}>
      <canvas ref={canvas} data-testid="editor-waveform" role="img" aria-label={label} style={{ width: '100%', height: 40, display: 'block' }} />
    </Box>
  );
}
