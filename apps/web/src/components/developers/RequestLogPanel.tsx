import { ActionIcon, Button, Center, Group, Select, Skeleton, Stack, Tooltip } from '@mantine/core';
import { IconListDetails, IconRefresh } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiKeys, useRequestLogs } from '../../api/developer';
import { EmptyBlock } from '../EmptyBlock';
import { ErrorAlert } from '../ErrorAlert';
import { RequestLogTable } from './RequestLogTable';

const METHODS = ['GET', 'POST', 'PATCH', 'DELETE'];
const STATUSES = ['200', '201', '204', '400', '401', '403', '404', '409', '413', '415', '422', '429', '500', '503'];

/** The request log with method/status filters, refresh and "Load more". */
export function RequestLogPanel({ onShowQuickStart }: { onShowQuickStart: () => void }) {
  const { t } = useTranslation();
  const [method, setMethod] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const logs = useRequestLogs({ method: method ?? undefined, status: status ?? undefined });
  const keys = useApiKeys();
  const keyNames = useMemo(() => new Map((keys.data?.data ?? []).map((k) => [k.id, k.name])), [keys.data]);
  const list = logs.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = !!method || !!status;
  const clearFilters = () => {
    setMethod(null);
    setStatus(null);
  };

  let body;
  if (logs.isPending) {
    body = (
      <Stack gap="sm">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} h={52} radius="md" />
        ))}
      </Stack>
    );
  } else if (logs.isError) body = <ErrorAlert error={logs.error} onRetry={() => void logs.refetch()} />;
  else if (list.length === 0) {
    body = filtered ? (
      <EmptyBlock
        icon={<IconListDetails size={28} />}
        title={t('developers.logs.emptyFilteredTitle')}
        description={t('developers.logs.emptyFilteredBody')}
        action={{ label: t('developers.logs.clearFilters'), onClick: clearFilters }}
      />
    ) : (
      <EmptyBlock
        icon={<IconListDetails size={28} />}
        title={t('developers.logs.emptyTitle')}
        description={t('developers.logs.emptyBody')}
        action={{ label: t('developers.quickStart.open'), onClick: onShowQuickStart }}
        testId="empty-request-log"
      />
    );
  } else body = <RequestLogTable logs={list} keyNames={keyNames} />;

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end">
        <Select
          label={t('developers.logs.method')}
          placeholder={t('developers.logs.any')}
          data={METHODS}
          value={method}
          onChange={setMethod}
          clearable
          w={150}
        />
        <Select
          label={t('developers.logs.status')}
          placeholder={t('developers.logs.any')}
          data={STATUSES}
          value={status}
          onChange={setStatus}
          clearable
          searchable
          w={150}
        />
        <Tooltip label={t('developers.refresh')}>
          <ActionIcon
            variant="default"
            size="lg"
            onClick={() => void logs.refetch()}
            loading={logs.isFetching && !logs.isFetchingNextPage}
            aria-label={t('developers.logs.refresh')}
          >
            <IconRefresh size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
      {body}
      {logs.hasNextPage ? (
        <Center>
          <Button variant="default" onClick={() => void logs.fetchNextPage()} loading={logs.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}
    </Stack>
  );
}
