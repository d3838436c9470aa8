import { ActionIcon, Box, Group, Loader, Text, useComputedColorScheme, useMantineTheme } from '@mantine/core';
import { IconPlayerPauseFilled, IconPlayerPlayFilled } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import WaveSurfer from 'wavesurfer.js';
import { useWaveform } from '../../api/files';
import { formatDuration } from '../../lib/format';

interface WaveformPlayerProps {
  /** The audio to play. */
  url: string;
  /**
   * The server's peaks for it (uploads have them): the waveform draws at once and the audio
   * streams only on play. Without them (job outputs) the audio is loaded and decoded to draw it.
   */
  waveformUrl?: string | null;
  /** The length when already known, shown before the audio has loaded. */
  duration?: number | null;
  /** data-testid of the player; it also carries data-ready and data-duration. */
  testId?: string;
}

/** Audio on its waveform: play/pause, seek by click, drag or arrow keys (Space or K plays). */
export function WaveformPlayer({ url, waveformUrl = null, duration: knownDuration = null, testId }: WaveformPlayerProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement>(null);
  const ws = useRef<WaveSurfer | null>(null);
  const waveform = useWaveform(waveformUrl);
  const theme = useMantineTheme();
  const scheme = useComputedColorScheme('dark');
  const [ready, setReady] = useState(false);
  const [playing, setPlaying] = useState(false);
  const [time, setTime] = useState(0);
  const [decoded, setDecoded] = useState(0);
  // With a waveform URL, wait for its peaks (or its failure, then decode like a job output).
  const peaks = waveformUrl && waveform.data ? waveform.data : null;
  const waiting = !!waveformUrl && waveform.isPending;
  const duration = decoded || peaks?.duration_seconds || knownDuration || 0;

  useEffect(() => {
    if (!container.current || waiting) return;
    setReady(false);
    setPlaying(false);
    setTime(0);
    const instance = WaveSurfer.create({
      container: container.current,
      url,
      ...(peaks ? { peaks: [peaks.peaks], duration: peaks.duration_seconds } : {}),
      height: 112,
      barWidth: 3,
      barGap: 2,
      barRadius: 2,
      normalize: true,
      waveColor: scheme === 'dark' ? theme.colors.dark[3] : theme.colors.gray[4],
      progressColor: theme.colors.violet[scheme === 'dark' ? 4 : 6],
      cursorColor: theme.colors.grape[4],
      cursorWidth: 2,
      dragToSeek: true,
    });
    ws.current = instance;
    if (peaks) {
      // The peaks are drawn: playable now, the audio streams when asked for.
      const media = instance.getMediaElement();
      if (media) media.preload = 'none';
      setReady(true);
    }
    const unsubs = [
      instance.on('ready', (d) => {
        if (!peaks) setDecoded(d);
        setReady(true);
      }),
      instance.on('play', () => setPlaying(true)),
      instance.on('pause', () => setPlaying(false)),
      instance.on('finish', () => setPlaying(false)),
      instance.on('timeupdate', (s) => setTime(s)),
    ];
    return () => {
      unsubs.forEach((off) => off());
      instance.destroy();
      ws.current = null;
    };
  }, [url, peaks, waiting, theme, scheme]);

  const toggle = () => void ws.current?.playPause();
  const skip = (s: number) => ws.current?.setTime(Math.min(duration, Math.max(0, (ws.current?.getCurrentTime() ?? 0) + s)));

  return (
    <Box
      p="md"
      bg="var(--mantine-color-default-hover)"
      style={{ borderRadius: 'var(--mantine-radius-lg)' }}
      data-testid={testId}
      data-ready={ready}
      data-duration={ready ? duration.toFixed(2) : undefined}
    >
      <Box pos="relative">
        <Box
          ref={container}
          role="slider"
          tabIndex={0}
          aria-label={t('player.position')}
          aria-valuemin={0}
          aria-valuemax={Math.round(duration)}
          aria-valuenow={Math.round(time)}
          aria-valuetext={t('player.timeOf', { time: formatDuration(time), total: formatDuration(duration) })}
          data-testid="waveform-player"
          onKeyDown={(e) => {
            if (e.key === 'ArrowRight') skip(5);
            else if (e.key === 'ArrowLeft') skip(-5);
            else if (e.key === ' ' || e.key === 'k') toggle();
            else return;
            e.preventDefault();
          }}
          style={{ minHeight: 112, borderRadius: 'var(--mantine-radius-sm)' }}
        />
        {!ready ? (
          <Group pos="absolute" inset={0} justify="center" gap="xs" aria-live="polite">
            <Loader size="sm" />
            <Text size="sm" c="dimmed">
              {t('player.loading')}
            </Text>
          </Group>
        ) : null}
      </Box>
      <Group justify="space-between" mt="sm">
        <ActionIcon size="xl" radius="xl" variant="filled" onClick={toggle} aria-label={playing ? t('player.pause') : t('player.play')} disabled={!ready}>
          {playing ? <IconPlayerPauseFilled size={20} /> : <IconPlayerPlayFilled size={20} />}
        </ActionIcon>
        <Text size="sm" c="dimmed" ff="monospace" aria-hidden>
          {formatDuration(time)} / {formatDuration(duration)}
        </Text>
      </Group>
    </Box>
  );
}
