import { Badge } from '@mantine/core';
import { IconCheck, IconClock, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { DeliveryStatus } from '../../api/types';

const COLORS: Record<DeliveryStatus, string> = { pending: 'yellow', succeeded: 'teal', failed: 'red' };
const ICONS = { pending: IconClock, succeeded: IconCheck, failed: IconX } as const;

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const { t } = useTranslation();
  const Icon = ICONS[status];
  return (
    <Badge color={COLORS[status]} variant="light" leftSection={<Icon size={12} aria-hidden />} data-testid="delivery-status" data-status={status}>
      {t(`developers.deliveries.status.${status}`)}
    </Badge>
  );
}
