import { Button, Group, Paper, Stack, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { OpenInEditorButton } from '../editor/OpenInEditorButton';
import type { ResultViewProps } from './registry';

/** An `edit` job's result: the edited video, its download, and "Open in editor" to keep editing. */
export function EditResult({ job }: ResultViewProps) {
  const { t } = useTranslation();
  if (job.status !== 'succeeded' || !job.output) return null;
  const video = job.output.files.find((f) => f.role === 'video')?.file;
  const poster = job.output.files.find((f) => f.role === 'poster')?.file;
  if (!video) return null;
  const content = (id: string) => `/api/v1/files/${encodeURIComponent(id)}/content`;
  return (
    <Paper p="lg" radius="lg" data-testid="edit-result">
      <Stack gap="md">
        <Title order={2} size="h4">
          {t('editor.resultTitle')}
        </Title>
        <video
          src={content(video)}
          poster={poster ? content(poster) : undefined}
          controls
          preload="metadata"
          playsInline
          aria-label={t('editor.resultPlayer')}
          data-testid="edit-result-video"
          style={{ width: '100%', maxHeight: '60vh', background: 'black', borderRadius: 'var(--mantine-radius-md)', display: 'block' }}
        />
        <Group gap="sm">
          <Button component="a" href={`${content(video)}?download=1`} leftSection={<IconDownload size={16} aria-hidden />}>
            {t('editor.downloadVideo')}
          </Button>
          <OpenInEditorButton fileId={video} />
        </Group>
      </Stack>
    </Paper>
  );
}
