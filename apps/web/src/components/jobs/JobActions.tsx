import { ActionIcon, Group, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPlayerStop, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCancelJob, useDeleteJob, useRetryJob } from '../../api/jobs';
import { isJobActive, type Job } from '../../api/types';
import { errorMessage, errorTitle } from '../../lib/errors';
import { ConfirmPopover } from '../ConfirmPopover';
import { useJobTypeLabel } from './JobTypeLabel';

/** Retry (failed/canceled), cancel (queued/running), delete (finished) — each with a clear label. */
export function JobActions({ job, onDeleted }: { job: Job; onDeleted?: () => void }) {
  const { t } = useTranslation();
  const label = useJobTypeLabel()(job.type);
  const cancel = useCancelJob();
  const retry = useRetryJob();
  const remove = useDeleteJob();
  const onError = (err: unknown) => notifications.show({ color: 'red', title: errorTitle(err, t), message: errorMessage(err, t) });
  const active = isJobActive(job.status);
  const canRetry = job.status === 'failed' || job.status === 'canceled';

  return (
    <Group gap={4} wrap="nowrap" justify="flex-end">
      {canRetry ? (
        <Tooltip label={t('jobs.retry')}>
          <ActionIcon
            variant="subtle"
            loading={retry.isPending}
            onClick={() => retry.mutate(job.id, { onError })}
            aria-label={t('jobs.retryNamed', { name: label })}
          >
            <IconRefresh size={18} />
          </ActionIcon>
        </Tooltip>
      ) : null}
      {active ? (
        <Tooltip label={t('jobs.cancel')}>
          <ActionIcon
            variant="subtle"
            color="orange"
            loading={cancel.isPending}
            onClick={() => cancel.mutate(job.id, { onError })}
            aria-label={t('jobs.cancelNamed', { name: label })}
          >
            <IconPlayerStop size={18} />
          </ActionIcon>
        </Tooltip>
      ) : (
        <ConfirmPopover
          message={t('jobs.confirmDelete', { name: label })}
          confirmLabel={t('common.delete')}
          loading={remove.isPending}
          onConfirm={() =>
            remove.mutate(job.id, {
              onError,
              onSuccess: () => {
                notifications.show({ color: 'teal', message: t('jobs.deleted') });
                onDeleted?.();
              },
            })
          }
        >
          {(open) => (
            <ActionIcon
              variant="subtle"
              color="red"
              onClick={open}
              aria-label={t('jobs.deleteNamed', { name: label })}
              title={t('jobs.delete')}
            >
              <IconTrash size={18} />
            </ActionIcon>
          )}
        </ConfirmPopover>
      )}
    </Group>
  );
}
