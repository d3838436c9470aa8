import { Skeleton, Stack } from '@mantine/core';
import { IconBriefcase2, IconUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useJobsInfinite } from '../../api/jobs';
import { EmptyBlock } from '../EmptyBlock';
import { ErrorAlert } from '../ErrorAlert';
import { JobCards } from '../jobs/JobCards';

export function RecentJobs() {
  const { t } = useTranslation();
  const jobs = useJobsInfinite({ status: 'all', limit: 5 });
  const list = jobs.data?.pages[0]?.data ?? [];
  if (jobs.isPending) {
    return (
      <Stack gap="sm">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} h={96} radius="lg" />
        ))}
      </Stack>
    );
  }
  if (jobs.isError) return <ErrorAlert error={jobs.error} onRetry={() => void jobs.refetch()} />;
  if (list.length === 0) {
    return (
      <EmptyBlock
        icon={<IconBriefcase2 size={28} />}
        title={t('home.noJobsTitle')}
        description={t('home.noJobsBody')}
        action={{ label: t('home.noJobsAction'), to: '/upload', icon: <IconUpload size={16} /> }}
        testId="empty-jobs"
      />
    );
  }
  return <JobCards jobs={list} compact />;
}
