import { Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useJobEvents } from '../../api/jobEvents';
import type { Job } from '../../api/types';
import { formatRelative } from '../../lib/format';
import { JobActions } from './JobActions';
import { JobLink } from './JobLink';
import { JobProgress } from './JobProgress';
import { JobStatusBadge } from './JobStatusBadge';

export function JobCard({ job, compact }: { job: Job; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  useJobEvents(job.id, job.status);
  return (
    <Paper p="md" radius="lg" data-testid="job-row" data-job-id={job.id} data-job-type={job.type} data-status={job.status}>
      <Group justify="space-between" wrap="nowrap" gap="sm" mb="sm">
        <JobLink job={job} />
        <JobStatusBadge status={job.status} />
      </Group>
      <JobProgress job={job} />
      {job.error && job.status === 'failed' ? (
        <Text size="xs" c="red" mt={6} lineClamp={2}>
          {job.error.message}
        </Text>
      ) : null}
      <Group justify="space-between" mt="sm" gap="xs">
        <Group gap="xs">
          {job.provider ? (
            <Badge variant="light" color="gray" tt="none" size="sm">
              {job.provider}
            </Badge>
          ) : null}
          <Text size="xs" c="dimmed">
            {t('jobs.creditsShort', { count: job.credits_charged })} · {formatRelative(job.created_at, i18n.language)}
          </Text>
        </Group>
        {compact ? null : <JobActions job={job} />}
      </Group>
    </Paper>
  );
}

/** Phone job history and compact lists: one card per job, live while running. */
export function JobCards({ jobs, compact }: { jobs: Job[]; compact?: boolean }) {
  return (
    <Stack gap="sm">
      {jobs.map((job) => (
        <JobCard key={job.id} job={job} compact={compact} />
      ))}
    </Stack>
  );
}
