import { Alert, Anchor, Badge, Code, Group, Paper, SimpleGrid, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconAlertCircle, IconArrowLeft } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useJob } from '../api/jobs';
import { useJobEvents } from '../api/jobEvents';
import { ErrorAlert } from '../components/ErrorAlert';
import { JobActions } from '../components/jobs/JobActions';
import { JobOutputs } from '../components/jobs/JobOutputs';
import { JobProgress } from '../components/jobs/JobProgress';
import { JobStatusBadge } from '../components/jobs/JobStatusBadge';
import { useJobTypeLabel } from '../components/jobs/JobTypeLabel';
import { RESULT_VIEWS } from '../components/results/registry';
import { jobTypeInfo } from '../lib/jobTypes';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { elapsedSeconds, formatBytes, formatDateTime, formatDuration, formatNumber } from '../lib/format';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** One job: live progress (SSE) that turns into its results. */
export function JobDetailPage() {
  const { t, i18n } = useTranslation();
  const { jobId = '' } = useParams();
  const navigate = useNavigate();
  const job = useJob(jobId);
  useJobEvents(jobId, job.data?.status);
  const typeLabel = useJobTypeLabel();
  useDocumentTitle(job.data ? typeLabel(job.data.type) : t('jobs.title'));
  const lng = i18n.language;

  const back = (
    <Anchor component={Link} to="/jobs" size="sm">
      <Group gap={4} component="span">
        <IconArrowLeft size={14} aria-hidden />
        {t('jobs.back')}
      </Group>
    </Anchor>
  );

  if (job.isPending) return <Stack>{back}<Skeleton h={240} radius="lg" /></Stack>;
  if (job.isError) return <Stack>{back}<ErrorAlert error={job.error} onRetry={() => void job.refetch()} /></Stack>;
  const j = job.data;
  const TypeIcon = jobTypeInfo(j.type).icon;
  const ResultView = RESULT_VIEWS[j.type];

  return (
    <Stack gap="lg" data-testid="job-detail" data-status={j.status}>
      {back}
      <Group justify="space-between" align="center">
        <Group gap="md">
          <ThemeIcon variant="light" radius="md" size={44} aria-hidden>
            <TypeIcon size={24} />
          </ThemeIcon>
          <div>
            <Title order={1} size="h2">
              {typeLabel(j.type)}
            </Title>
            <Text size="xs" c="dimmed" ff="monospace">
              {j.id}
            </Text>
          </div>
          <JobStatusBadge status={j.status} />
        </Group>
        <JobActions job={j} onDeleted={() => navigate('/jobs', { replace: true })} />
      </Group>
      <Paper p="lg" radius="lg">
        <JobProgress job={j} size="lg" />
        {j.status === 'failed' && j.error ? (
          <Alert mt="md" color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} title={t('jobs.failedTitle')}>
            <Text size="sm">{j.error.message}</Text>
            <Text size="xs" c="dimmed" mt={4}>
              {t('jobs.errorCode', { code: j.error.code })}
            </Text>
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="lg" mt="lg">
          <Fact label={t('jobs.colProvider')}>
            {j.provider ? <Badge variant="light" color="gray" tt="none">{j.provider}</Badge> : '—'}
          </Fact>
          <Fact label={t('jobs.colCredits')}>{formatNumber(j.credits_charged, lng)}</Fact>
          <Fact label={t('jobs.attempts')}>{formatNumber(j.attempts, lng)}</Fact>
          <Fact label={t('jobs.outputSize')}>{j.output ? formatBytes(j.output.size_bytes, lng) : '—'}</Fact>
          <Fact label={t('jobs.colCreated')}>{formatDateTime(j.created_at, lng)}</Fact>
          <Fact label={t('jobs.started')}>{formatDateTime(j.started_at, lng)}</Fact>
          <Fact label={t('jobs.finished')}>{formatDateTime(j.finished_at, lng)}</Fact>
          <Fact label={t('jobs.duration')}>{formatDuration(elapsedSeconds(j.started_at, j.finished_at))}</Fact>
        </SimpleGrid>
      </Paper>
      {ResultView ? <ResultView job={j} /> : null}
      {j.output && j.output.files.length > 0 ? <JobOutputs outputs={j.output.files} /> : null}
      {j.input ? (
        <Paper p="lg" radius="lg">
          <Title order={2} size="h5" mb="sm">
            {t('jobs.input')}
          </Title>
          <Code block>{JSON.stringify(j.input, null, 2)}</Code>
        </Paper>
      ) : null}
    </Stack>
  );
}
