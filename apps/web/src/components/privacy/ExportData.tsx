import { Alert, Anchor, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { IconDownload, IconFileZip } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useJob } from '../../api/jobs';
import { privacyKeys, requestExport } from '../../api/privacy';
import { ErrorAlert } from '../ErrorAlert';

/** "Export my data": queues the export job, shows its progress, then a download link. */
export function ExportData() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [jobId, setJobId] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: requestExport,
    onSuccess: (job) => {
      setJobId(job.id);
      void qc.invalidateQueries({ queryKey: privacyKeys.log });
    },
  });
  const job = useJob(jobId).data;
  const zip = job?.status === 'succeeded' ? job.output?.files.find((f) => f.role === 'export') : undefined;
  const running = job ? job.status === 'queued' || job.status === 'running' : start.isPending;

  return (
    <Stack gap="sm">
      <Text size="sm" fw={500}>
        {t('privacy.settings.exportTitle')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('privacy.settings.exportHelp')}
      </Text>
      {start.error ? <ErrorAlert error={start.error} /> : null}
      {running && job ? (
        <Stack gap={4} role="status" aria-live="polite">
          <Text size="sm">{t('privacy.settings.exportRunning', { percent: Math.round(job.progress * 100) })}</Text>
          <Progress value={job.progress * 100} animated aria-label={t('privacy.settings.exportTitle')} />
        </Stack>
      ) : null}
      {zip ? (
        <Alert color="teal" variant="light" icon={<IconFileZip size={20} aria-hidden />} title={t('privacy.settings.exportReady')}>
          <Anchor href={`/api/v1/files/${encodeURIComponent(zip.file)}/content?download=1`} download data-testid="export-download">
            <Group gap={6} component="span">
              <IconDownload size={16} aria-hidden />
              {t('privacy.settings.exportDownload')}
            </Group>
          </Anchor>
        </Alert>
      ) : null}
      {job?.status === 'failed' ? <Alert color="red">{t('privacy.settings.exportFailed', { message: job.error?.message ?? '' })}</Alert> : null}
      <Group>
        <Button variant="light" leftSection={<IconFileZip size={18} aria-hidden />} onClick={() => start.mutate()} loading={running}>
          {t('privacy.settings.exportButton')}
        </Button>
      </Group>
    </Stack>
  );
}
