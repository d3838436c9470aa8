import { Badge, Loader } from '@mantine/core';
import { IconBan, IconCheck, IconClock, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { JobStatus } from '../../api/types';

const COLORS: Record<JobStatus, string> = {
  queued: 'gray',
  running: 'violet',
  succeeded: 'teal',
  failed: 'red',
  canceled: 'orange',
};

function StatusIcon({ status }: { status: JobStatus }) {
  if (status === 'running') return <Loader size={10} color="currentColor" type="oval" />;
  if (status === 'succeeded') return <IconCheck size={12} aria-hidden />;
  if (status === 'failed') return <IconX size={12} aria-hidden />;
  if (status === 'canceled') return <IconBan size={12} aria-hidden />;
  return <IconClock size={12} aria-hidden />;
}

export function JobStatusBadge({ status }: { status: JobStatus }) {
  const { t } = useTranslation();
  return (
    <Badge
      color={COLORS[status]}
      variant="light"
      leftSection={<StatusIcon status={status} />}
      data-testid="job-status"
      data-status={status}
    >
      {t(`jobStatus.${status}`)}
    </Badge>
  );
}
