import { Button, Center, ScrollArea, SegmentedControl, Skeleton, Stack } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconBriefcase2, IconUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useJobsInfinite } from '../api/jobs';
import type { JobStatus } from '../api/types';
import { EmptyBlock } from '../components/EmptyBlock';
import { ErrorAlert } from '../components/ErrorAlert';
import { JobCards } from '../components/jobs/JobCards';
import { JobsTable } from '../components/jobs/JobsTable';
import { PageHeader } from '../components/PageHeader';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

type StatusFilter = JobStatus | 'all';
const STATUSES: StatusFilter[] = ['all', 'queued', 'running', 'succeeded', 'failed', 'canceled'];

/** Every job with live progress, provider, credits and actions. */
export function JobsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('jobs.title'));
  const wide = useMediaQuery('(min-width: 62em)', true);
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status') as StatusFilter | null;
  const status: StatusFilter = statusParam && STATUSES.includes(statusParam) ? statusParam : 'all';
  const jobs = useJobsInfinite({ status, limit: 25 });
  const list = jobs.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <Stack gap="lg">
      <PageHeader title={t('jobs.title')} description={t('jobs.description')} />
      <ScrollArea type="never" offsetScrollbars={false}>
        <SegmentedControl
          value={status}
          onChange={(v) => setParams(v === 'all' ? {} : { status: v }, { replace: true })}
          aria-label={t('jobs.filterLabel')}
          data={STATUSES.map((s) => ({ value: s, label: s === 'all' ? t('jobs.filterAll') : t(`jobStatus.${s}`) }))}
        />
      </ScrollArea>
      {jobs.isPending ? (
        <Stack gap="sm">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} h={64} radius="md" />
          ))}
        </Stack>
      ) : jobs.isError ? (
        <ErrorAlert error={jobs.error} onRetry={() => void jobs.refetch()} />
      ) : list.length === 0 ? (
        <EmptyBlock
          icon={<IconBriefcase2 size={28} />}
          title={status === 'all' ? t('jobs.emptyTitle') : t('jobs.emptyFilteredTitle')}
          description={t('jobs.emptyBody')}
          action={{ label: t('jobs.emptyAction'), to: '/upload', icon: <IconUpload size={16} /> }}
          testId="empty-jobs"
        />
      ) : wide ? (
        <JobsTable jobs={list} />
      ) : (
        <JobCards jobs={list} />
      )}
      {jobs.hasNextPage ? (
        <Center>
          <Button variant="default" onClick={() => void jobs.fetchNextPage()} loading={jobs.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}
    </Stack>
  );
}
