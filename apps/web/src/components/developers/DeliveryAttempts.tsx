import { Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { WebhookAttempt } from '../../api/types';
import { formatDateTime, formatNumber } from '../../lib/format';
import { HttpStatusBadge } from './HttpStatusBadge';

/** Every attempt of one delivery: when, the answer, how long it took. */
export function DeliveryAttempts({ attempts }: { attempts: WebhookAttempt[] }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  if (attempts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('developers.deliveries.noAttempts')}
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={520}>
      <Table verticalSpacing={6} fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t('developers.deliveries.attemptTime')}</Table.Th>
            <Table.Th>{t('developers.deliveries.attemptResult')}</Table.Th>
            <Table.Th ta="right">{t('developers.logs.colLatency')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {attempts.map((a) => (
            <Table.Tr key={a.attempt}>
              <Table.Td>{a.attempt}</Table.Td>
              <Table.Td>{formatDateTime(a.created_at, lng)}</Table.Td>
              <Table.Td>
                {a.status_code !== null ? <HttpStatusBadge status={a.status_code} /> : null}
                {a.error ? (
                  <Text size="xs" c="red" mt={2}>
                    {a.error}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {t('developers.logs.ms', { value: formatNumber(a.duration_ms, lng) })}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
