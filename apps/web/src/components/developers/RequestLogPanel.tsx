import { ActionIcon, Button, Center, Skeleton, Stack, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconListDetails, IconRefresh } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApiKeys } from '../../api/developer';
import { EmptyBlock } from '../EmptyBlock';
import { ErrorAlert } from '../ErrorAlert';
import { hasFilters, NO_FILTERS, type RequestLogFilters } from './requestLogFilters';
import { RequestLogFiltersBar } from './RequestLogFiltersBar';
import { RequestLogTable } from './RequestLogTable';
import { useRequestLogSearch } from './useRequestLogSearch';

/** The request log with method/status/route/key/date filters, refresh and "Load more". */
export function RequestLogPanel({ onShowQuickStart }: { onShowQuickStart: () => void }) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<RequestLogFilters>(NO_FILTERS);
  // Typing a route prefix should not fire a request per keystroke.
  const [debounced] = useDebouncedValue(filters, 300);
  const logs = useRequestLogSearch(debounced);
  const keys = useApiKeys();
  const keyList = keys.data?.data ?? [];
  const keyNames = useMemo(() => new Map((keys.data?.data ?? []).map((k) => [k.id, k.name])), [keys.data]);
  const list = logs.data?.pages.flatMap((p) => p.data) ?? [];
  const filtered = hasFilters(debounced);
  const clearFilters = () => setFilters(NO_FILTERS);

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
      <RequestLogFiltersBar value={filters} onChange={setFilters} keys={keyList}>
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
      </RequestLogFiltersBar>
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
