import { Group, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Job } from '../../api/types';
import { formatPercent } from '../../lib/format';

const COLOR: Record<Job['status'], string> = {
  queued: 'gray',
  running: 'violet',
  succeeded: 'teal',
  failed: 'red',
  canceled: 'orange',
};

/** A live progress bar with its percentage. */
export function JobProgress({ job, size = 'sm' }: { job: Job; size?: 'sm' | 'md' | 'lg' | 'xl' }) {
  const { t, i18n } = useTranslation();
  const value = job.status === 'succeeded' ? 1 : job.progress;
  const running = job.status === 'running';
  const pct = formatPercent(value, i18n.language);
  return (
    <Group gap="sm" wrap="nowrap" w="100%">
      <Progress
        value={value * 100}
        color={COLOR[job.status]}
        striped={running}
        animated={running}
        size={size}
        radius="xl"
        style={{ flex: 1 }}
        aria-label={t('jobs.progressLabel', { percent: pct })}
        transitionDuration={300}
        data-testid="job-progress"
      />
      <Text size="xs" c="dimmed" w={38} ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {pct}
      </Text>
    </Group>
  );
}
