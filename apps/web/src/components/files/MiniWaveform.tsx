import { Center, Loader, useComputedColorScheme, useMantineTheme } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import { useEffect, useRef } from 'react';
import { useWaveform } from '../../api/files';
import { KindIcon } from './KindIcon';
import { bucketPeaks } from './peaks';

const BAR = 3;
const GAP = 2;

/** A static bar waveform drawn from the server's peaks (no audio is downloaded). */
export function MiniWaveform({ url, label }: { url: string | null; label: string }) {
  const { ref, width, height } = useElementSize();
  const canvas = useRef<HTMLCanvasElement>(null);
  const waveform = useWaveform(url);
  const theme = useMantineTheme();
  const scheme = useComputedColorScheme('dark');

  useEffect(() => {
    const el = canvas.current;
    const peaks = waveform.data?.peaks;
    if (!el || !peaks || width < 4 || height < 4) return;
    const dpr = window.devicePixelRatio || 1;
    el.width = Math.round(width * dpr);
    el.height = Math.round(height * dpr);
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const gradient = ctx.createLinearGradient(0, 0, width, 0);
    gradient.addColorStop(0, theme.colors.violet[scheme === 'dark' ? 4 : 6]!);
    gradient.addColorStop(1, theme.colors.grape[scheme === 'dark' ? 4 : 6]!);
    ctx.fillStyle = gradient;
    const count = Math.max(1, Math.floor((width + GAP) / (BAR + GAP)));
    const amps = bucketPeaks(peaks, count);
    const mid = height / 2;
    amps.forEach((amp, i) => {
      const h = Math.max(2, amp * (height - 4));
      const x = i * (BAR + GAP);
      ctx.beginPath();
      ctx.roundRect(x, mid - h / 2, BAR, h, 1.5);
      ctx.fill();
    });
  }, [waveform.data, width, height, theme, scheme]);

  return (
    <div ref={ref} style={{ width: '100%', height: '100%', position: 'relative' }} data-testid="mini-waveform">
      {waveform.data ? (
        <canvas
          ref={canvas}
          role="img"
          aria-label={label}
          data-testid="waveform-canvas"
          style={{ width: '100%', height: '100%', display: 'block' }}
        />
      ) : (
        <Center h="100%" c="dimmed">
          {waveform.isLoading ? <Loader size="sm" type="dots" /> : <KindIcon kind="audio" size={32} />}
        </Center>
      )}
    </div>
  );
}
