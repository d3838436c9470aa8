import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { UploadRow } from './UploadRow';
import { useUploads } from './uploadsContext';

/** Per-file progress for everything dropped in this session. */
export function UploadQueue() {
  const { t } = useTranslation();
  const { items, clearFinished } = useUploads();
  if (items.length === 0) return null;
  const active = items.filter((it) => it.status === 'queued' || it.status === 'uploading').length;
  return (
    <Paper p={{ base: 'md', sm: 'lg' }} radius="lg" aria-labelledby="upload-queue-title">
      <Group justify="space-between" mb="md">
        <div>
          <Title order={3} size="h5" id="upload-queue-title">
            {t('upload.queueTitle')}
          </Title>
          <Text size="sm" c="dimmed" aria-live="polite">
            {active > 0 ? t('upload.inFlight', { count: active }) : t('upload.allDone')}
          </Text>
        </div>
        {items.length > active ? (
          <Button variant="subtle" size="compact-sm" color="gray" onClick={clearFinished}>
            {t('upload.clearFinished')}
          </Button>
        ) : null}
      </Group>
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid="upload-queue">
        {items.map((item) => (
          <UploadRow key={item.id} item={item} />
        ))}
      </Stack>
    </Paper>
  );
}
