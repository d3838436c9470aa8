import { Badge, Paper, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useJobEvents } from '../../api/jobEvents';
import type { Job } from '../../api/types';
import { formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { JobActions } from './JobActions';
import { JobLink } from './JobLink';
import { JobProgress } from './JobProgress';
import { JobStatusBadge } from './JobStatusBadge';

function JobRow({ job }: { job: Job }) {
  const { i18n } = useTranslation();
  useJobEvents(job.id, job.status);
  return (
    <Table.Tr data-testid="job-row" data-job-id={job.id} data-job-type={job.type} data-status={job.status}>
      <Table.Td maw={280}>
        <JobLink job={job} />
      </Table.Td>
      <Table.Td>
        <JobStatusBadge status={job.status} />
      </Table.Td>
      <Table.Td miw={160}>
        <JobProgress job={job} />
      </Table.Td>
      <Table.Td>
        {job.provider ? (
          <Badge variant="light" color="gray" tt="none">
            {job.provider}
          </Badge>
        ) : (
          <Text size="sm" c="dimmed">—</Text>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatNumber(job.credits_charged, i18n.language)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed" title={formatDateTime(job.created_at, i18n.language)}>
          {formatRelative(job.created_at, i18n.language)}
        </Text>
      </Table.Td>
      <Table.Td>
        <JobActions job={job} />
      </Table.Td>
    </Table.Tr>
  );
}

/** Desktop job history: one row per job, live while running. */
export function JobsTable({ jobs }: { jobs: Job[] }) {
  const { t } = useTranslation();
  return (
    <Paper radius="lg" px="xs" py={4}>
      <Table.ScrollContainer minWidth={840}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="jobs-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('jobs.colJob')}</Table.Th>
              <Table.Th>{t('jobs.colStatus')}</Table.Th>
              <Table.Th>{t('jobs.colProgress')}</Table.Th>
              <Table.Th>{t('jobs.colProvider')}</Table.Th>
              <Table.Th>{t('jobs.colCredits')}</Table.Th>
              <Table.Th>{t('jobs.colCreated')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('jobs.colActions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {jobs.map((job) => (
              <JobRow key={job.id} job={job} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
