import { Alert, Button, Grid, Group, List, Paper, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useFile, useWaveform } from '../../api/files';
import { contentUrl, useTimeline } from '../../api/musicVideos';
import { formatDuration, formatNumber } from '../../lib/format';
import { OpenInEditorButton } from '../editor/OpenInEditorButton';
import { ErrorAlert } from '../ErrorAlert';
import { SectionButtons } from '../musicvideo/SectionButtons';
import { SectionMap } from '../musicvideo/SectionMap';
import type { ResultViewProps } from './registry';

function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text size="lg" fw={700} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

/** A finished music video: the player, downloads, "Open in editor", and what the song analysis found. */
export function MusicVideoResult({ job }: ResultViewProps) {
  const { t, i18n } = useTranslation();
  const player = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const files = job.output?.files ?? [];
  const video = files.find((f) => f.role === 'video')?.file ?? null;
  const poster = files.find((f) => f.role === 'poster')?.file ?? null;
  const timelineFile = files.find((f) => f.role === 'timeline')?.file ?? null;
  const audioId = typeof job.input?.audio_file === 'string' ? job.input.audio_file : null;
  const succeeded = job.status === 'succeeded';

  const timeline = useTimeline(succeeded ? timelineFile : null);
  const song = useFile(succeeded ? audioId : null);
  const waveform = useWaveform(song.data?.waveform_url ?? null);

  if (!succeeded || !video) return null;

  const seek = (seconds: number) => {
    const el = player.current;
    if (!el) return;
    el.currentTime = Math.max(0, seconds);
    setTime(el.currentTime);
  };
  const tl = timeline.data;
  const cuts = tl ? tl.shots.filter((s) => s.start > 0.01).length : 0;
  // The planner's own no-beat note is shown translated (noBeatExplained) rather than repeated.
  const notes = tl ? tl.warnings.filter((w) => !w.startsWith('no steady beat')) : [];

  return (
    <Paper p={{ base: 'md', sm: 'lg' }} radius="lg" data-testid="mv-result">
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <video
            ref={player}
            controls
            playsInline
            preload="metadata"
            src={contentUrl(video)}
            poster={poster ? contentUrl(poster) : undefined}
            onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
            onSeeked={(e) => setTime(e.currentTarget.currentTime)}
            aria-label={t('musicVideo.result.player')}
            data-testid="mv-player"
            style={{ display: 'block', width: '100%', maxHeight: '70vh', background: '#000', borderRadius: 'var(--mantine-radius-md)' }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="md">
            <Title order={2} size="h4">
              {t('musicVideo.result.title')}
            </Title>
            <Group gap="sm">
              <Button component="a" href={contentUrl(video, true)} download leftSection={<IconDownload size={16} aria-hidden />} data-testid="mv-download">
                {t('musicVideo.result.download')}
              </Button>
              <OpenInEditorButton fileId={video} />
            </Group>
            {timeline.isError ? <ErrorAlert error={timeline.error} onRetry={() => void timeline.refetch()} /> : null}
            {timeline.isPending ? <Skeleton h={110} radius="md" /> : null}
            {tl ? (
              <SimpleGrid cols={2} spacing="md">
                <Stat
                  label={t('musicVideo.result.tempo')}
                  value={tl.tempo_bpm ? t('musicVideo.result.bpm', { bpm: formatNumber(Math.round(tl.tempo_bpm), i18n.language) }) : t('musicVideo.result.noBeat')}
                  testId="mv-tempo"
                />
                <Stat label={t('musicVideo.result.length')} value={formatDuration(tl.duration_seconds)} />
                <Stat label={t('musicVideo.result.sectionCount')} value={formatNumber(tl.sections.length, i18n.language)} />
                <Stat label={t('musicVideo.result.cutCount')} value={formatNumber(cuts, i18n.language)} testId="mv-cuts" />
              </SimpleGrid>
            ) : null}
            {tl && !tl.has_beat ? (
              <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} aria-hidden />} p="xs" data-testid="mv-no-beat">
                <Text size="sm">{t('musicVideo.result.noBeatExplained')}</Text>
              </Alert>
            ) : null}
            {notes.length ? (
              <Alert variant="light" color="yellow" icon={<IconAlertTriangle size={18} aria-hidden />} p="xs" title={t('musicVideo.result.notesTitle')} data-testid="mv-notes">
                <List size="sm" spacing={2}>
                  {notes.map((n) => (
                    <List.Item key={n}>{n}</List.Item>
                  ))}
                </List>
              </Alert>
            ) : null}
          </Stack>
        </Grid.Col>
        {tl ? (
          <Grid.Col span={12}>
            <Stack gap="sm">
              <Group justify="space-between" gap="xs">
                <Title order={3} size="h5">
                  {t('musicVideo.result.mapHeading')}
                </Title>
                <Text size="xs" c="dimmed">
                  {t('musicVideo.result.mapLegend')}
                </Text>
              </Group>
              <SectionMap timeline={tl} waveform={waveform.data ?? null} currentTime={time} onSeek={seek} />
              {song.isError || (song.data && !song.data.waveform_url) || waveform.isError ? (
                <Alert variant="light" color="gray" icon={<IconInfoCircle size={18} aria-hidden />} p="xs">
                  <Text size="xs">{t('musicVideo.result.noWaveform')}</Text>
                </Alert>
              ) : null}
              <SectionButtons sections={tl.sections} currentTime={time} onSeek={seek} />
            </Stack>
          </Grid.Col>
        ) : null}
      </Grid>
    </Paper>
  );
}
