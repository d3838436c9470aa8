import { ActionIcon, Group, Progress, Text, Tooltip } from '@mantine/core';
import { IconRefresh, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useJob } from '../../api/jobs';
import { useJobEvents } from '../../api/jobEvents';
import { errorMessage, errorTitle } from '../../lib/errors';
import { formatBytes, formatPercent } from '../../lib/format';
import { KindIcon } from '../files/KindIcon';
import { LocalPreview } from './LocalPreview';
import { useUploads, type UploadItem } from './uploadsContext';

function useProcessing(item: UploadItem) {
  const jobId = item.result?.status === 'processing' ? item.result.processing_job : null;
  const job = useJob(jobId);
  useJobEvents(jobId, job.data?.status);
  return job.data ?? null;
}

/** One file on its way: upload progress, then media preparation, then ready (or what went wrong). */
export function UploadRow({ item }: { item: UploadItem }) {
  const { t, i18n } = useTranslation();
  const { cancel, retry, dismiss } = useUploads();
  const job = useProcessing(item);

  let label: string;
  let value = item.progress;
  let color = 'violet';
  let striped = false;
  let state: string = item.status;
  if (item.status === 'queued') {
    label = t('upload.waiting');
    value = 0;
  } else if (item.status === 'uploading') {
    // All bytes sent: the server is checking the content before it answers.
    label = item.progress >= 1 ? t('upload.checking') : t('upload.uploading', { percent: formatPercent(item.progress, i18n.language) });
    striped = true;
  } else if (item.status === 'error') {
    label = `${errorTitle(item.error, t)} — ${errorMessage(item.error, t)}`;
    color = 'red';
    value = 1;
  } else if (item.status === 'canceled') {
    label = t('upload.canceled');
    color = 'gray';
  } else if (job && (job.status === 'queued' || job.status === 'running')) {
    label = t('upload.preparing', { percent: formatPercent(job.progress, i18n.language) });
    value = job.progress;
    color = 'grape';
    striped = true;
    state = 'processing';
  } else if (job?.status === 'failed') {
    label = job.error?.message ?? t('upload.prepareFailed');
    color = 'red';
    state = 'failed';
  } else {
    label = t('upload.ready');
    color = 'teal';
    value = 1;
    state = 'ready';
  }

  const name = item.file.name;
  return (
    <Group component="li" gap="md" wrap="nowrap" data-testid="upload-row" data-state={state} aria-label={name}>
      <LocalPreview file={item.file} kind={item.kind} />
      <div style={{ flex: 1, minWidth: 0 }}>
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <KindIcon kind={item.kind} size={14} />
            <Text size="sm" fw={600} truncate title={name}>
              {name}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            {formatBytes(item.file.size, i18n.language)}
          </Text>
        </Group>
        <Progress
          value={value * 100}
          color={color}
          striped={striped}
          animated={striped}
          size="sm"
          radius="xl"
          my={6}
          aria-label={t('upload.progressLabel', { name })}
          transitionDuration={200}
        />
        <Text size="xs" c={color === 'red' ? 'red' : 'dimmed'} role={color === 'red' ? 'alert' : undefined} lineClamp={2}>
          {label}
        </Text>
      </div>
      {item.status === 'queued' || item.status === 'uploading' ? (
        <Tooltip label={t('upload.cancel')}>
          <ActionIcon variant="subtle" color="gray" onClick={() => cancel(item.id)} aria-label={t('upload.cancelNamed', { name })}>
            <IconX size={16} />
          </ActionIcon>
        </Tooltip>
      ) : item.status === 'error' || item.status === 'canceled' ? (
        <Group gap={4} wrap="nowrap">
          <Tooltip label={t('common.retry')}>
            <ActionIcon variant="subtle" onClick={() => retry(item.id)} aria-label={t('upload.retryNamed', { name })}>
              <IconRefresh size={16} />
            </ActionIcon>
          </Tooltip>
          <Tooltip label={t('common.dismiss')}>
            <ActionIcon variant="subtle" color="gray" onClick={() => dismiss(item.id)} aria-label={t('upload.dismissNamed', { name })}>
              <IconX size={16} />
            </ActionIcon>
          </Tooltip>
        </Group>
      ) : null}
    </Group>
  );
}
