import { ActionIcon, Button, Center, Group, ScrollArea, SegmentedControl, Skeleton, Stack, Tooltip } from '@mantine/core';
import { IconRefresh, IconWebhook } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useWebhookDeliveries } from '../../api/developer';
import type { DeliveryStatus } from '../../api/types';
import { EmptyBlock } from '../EmptyBlock';
import { ErrorAlert } from '../ErrorAlert';
import { DeliveryItem } from './DeliveryItem';

type Filter = DeliveryStatus | 'all';
const FILTERS: Filter[] = ['all', 'pending', 'succeeded', 'failed'];

/** Webhook deliveries with a status filter, refresh and "Load more". */
export function DeliveriesPanel({ onShowQuickStart }: { onShowQuickStart: () => void }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<Filter>('all');
  const deliveries = useWebhookDeliveries(status);
  const list = deliveries.data?.pages.flatMap((p) => p.data) ?? [];

  let body;
  if (deliveries.isPending) body = <Skeleton h={120} radius="lg" />;
  else if (deliveries.isError) body = <ErrorAlert error={deliveries.error} onRetry={() => void deliveries.refetch()} />;
  else if (list.length === 0) {
    body = (
      <EmptyBlock
        icon={<IconWebhook size={28} />}
        title={status === 'all' ? t('developers.deliveries.emptyTitle') : t('developers.deliveries.emptyFilteredTitle')}
        description={t('developers.deliveries.emptyBody')}
        action={{ label: t('developers.quickStart.open'), onClick: onShowQuickStart }}
        testId="empty-deliveries"
      />
    );
  } else {
    body = (
      <Stack gap="sm">
        {list.map((d) => (
          <DeliveryItem key={d.id} delivery={d} />
        ))}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group gap="sm" justify="space-between" wrap="nowrap">
        <ScrollArea type="never">
          <SegmentedControl
            value={status}
            onChange={(v) => setStatus(v as Filter)}
            aria-label={t('developers.deliveries.filterLabel')}
            data={FILTERS.map((f) => ({ value: f, label: f === 'all' ? t('jobs.filterAll') : t(`developers.deliveries.status.${f}`) }))}
          />
        </ScrollArea>
        <Tooltip label={t('developers.refresh')}>
          <ActionIcon
            variant="default"
            size="lg"
            onClick={() => void deliveries.refetch()}
            loading={deliveries.isFetching && !deliveries.isFetchingNextPage}
            aria-label={t('developers.deliveries.refresh')}
          >
            <IconRefresh size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
      {body}
      {deliveries.hasNextPage ? (
        <Center>
          <Button variant="default" onClick={() => void deliveries.fetchNextPage()} loading={deliveries.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}
    </Stack>
  );
}
