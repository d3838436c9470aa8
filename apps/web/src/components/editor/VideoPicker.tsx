import { Badge, Box, Button, Card, Center, Loader, SimpleGrid, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { IconVideo } from '@tabler/icons-react';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useFilesInfinite } from '../../api/files';
import { formatDuration } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { DropZone } from '../uploads/DropZone';
import { useUploads } from '../uploads/uploadsContext';

/** Choose a video from the library, or upload one (it opens as soon as the upload is stored). */
export function VideoPicker({ onPick }: { onPick(fileId: string): void }) {
  const { t } = useTranslation();
  const videos = useFilesInfinite('video', 24);
  const uploads = useUploads();
  const known = useRef<Set<string> | null>(null);
  known.current ??= new Set(uploads.items.map((i) => i.id));

  useEffect(() => {
    const fresh = uploads.items.find((i) => !known.current!.has(i.id) && i.status === 'done' && i.result?.kind === 'video');
    if (fresh?.result) onPick(fresh.result.id);
  }, [uploads.items, onPick]);

  const files = videos.data?.pages.flatMap((p) => p.data) ?? [];
  const uploading = uploads.items.some((i) => !known.current!.has(i.id) && (i.status === 'queued' || i.status === 'uploading'));

  return (
    <Stack gap="lg">
      <DropZone size="md" onFiles={(list) => uploads.add(list)} />
      {uploading ? (
        <Center>
          <Loader size="sm" type="bars" aria-label={t('editor.uploading')} />
        </Center>
      ) : null}
      <Title order={2} size="h4">
        {t('editor.pickTitle')}
      </Title>
      {videos.isError ? <ErrorAlert error={videos.error} onRetry={() => void videos.refetch()} /> : null}
      {videos.isPending ? <Loader type="bars" /> : null}
      {!videos.isPending && files.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('editor.pickEmpty')}
        </Text>
      ) : null}
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md">
        {files.map((f) => (
          <UnstyledButton key={f.id} onClick={() => onPick(f.id)} aria-label={t('editor.pickFile', { name: f.filename })} data-testid="pick-video">
            <Card p={0} radius="md">
            <Box h={120} bg="dark.7" style={{ position: 'relative' }}>
              {f.thumbnail_url ? (
                <img src={f.thumbnail_url} alt="" style={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }} />
              ) : (
                <Center h="100%" c="dimmed">
                  <IconVideo size={32} aria-hidden />
                </Center>
              )}
              {f.duration_seconds ? (
                <Badge size="sm" variant="filled" color="dark" style={{ position: 'absolute', right: 6, bottom: 6 }}>
                  {formatDuration(f.duration_seconds)}
                </Badge>
              ) : null}
            </Box>
            <Text size="sm" p="xs" truncate>
              {f.filename}
            </Text>
            </Card>
          </UnstyledButton>
        ))}
      </SimpleGrid>
      {videos.hasNextPage ? (
        <Button variant="default" onClick={() => void videos.fetchNextPage()} loading={videos.isFetchingNextPage}>
          {t('editor.loadMore')}
        </Button>
      ) : null}
    </Stack>
  );
}
