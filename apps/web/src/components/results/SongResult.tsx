import { Badge, Button, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconMovie } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { getFile } from '../../api/files';
import { qk } from '../../api/keys';
import type { FileObject } from '../../api/types';
import { LazyWaveformPlayer } from '../files/LazyWaveformPlayer';
import { SongDownloads } from '../song/SongDownloads';
import { mainMp3, songDownloads } from '../song/songOutputs';
import type { ResultViewProps } from './registry';

/** A finished song: waveform player, provider, downloads, and "make a music video" from it. */
export function SongResult({ job }: ResultViewProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const outputs = job.status === 'succeeded' ? (job.output?.files ?? []) : [];
  const queries = useQueries({ queries: outputs.map((o) => ({ queryKey: qk.file(o.file), queryFn: () => getFile(o.file), staleTime: 60_000 })) });
  if (job.status !== 'succeeded') return null;
  if (queries.some((q) => q.isPending)) return <Skeleton h={260} radius="lg" />;

  const files = new Map<string, FileObject>();
  for (const q of queries) if (q.data) files.set(q.data.id, q.data);
  const mp3 = mainMp3(job, files);
  const lrc = (job.output?.files ?? []).find((o) => o.role === 'lyrics_lrc')?.file;
  const makeVideo = () => {
    const params = new URLSearchParams();
    if (mp3) params.set('audio_file', mp3.id);
    if (lrc) params.set('lyrics_file', lrc);
    navigate(`/create/music-video?${params.toString()}`);
  };

  return (
    <Paper p="lg" radius="lg" component="section" aria-labelledby="song-result-title" data-testid="song-result">
      <Group justify="space-between" mb="md" wrap="wrap" gap="sm">
        <Title order={2} size="h4" id="song-result-title">
          {t('song.result.title')}
        </Title>
        <Group gap="xs">
          <Text size="xs" c="dimmed">
            {t('song.result.provider')}
          </Text>
          <Badge variant="light" color="gray" tt="none" data-testid="song-provider">
            {job.provider}
          </Badge>
        </Group>
      </Group>
      <Stack gap="lg">
        {mp3 ? <LazyWaveformPlayer url={mp3.content_url} testId="song-player" /> : null}
        <Group>
          <Button leftSection={<IconMovie size={16} aria-hidden />} onClick={makeVideo} disabled={!mp3}>
            {t('song.result.makeVideo')}
          </Button>
        </Group>
        <div>
          <Title order={3} size="h5" mb="sm">
            {t('song.result.downloads')}
          </Title>
          <SongDownloads items={songDownloads(job, files)} />
        </div>
      </Stack>
    </Paper>
  );
}
