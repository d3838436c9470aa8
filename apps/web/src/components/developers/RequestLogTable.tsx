import { Badge, Group, Paper, Table, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { RequestLog } from '../../api/types';
import { formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { CopyIconButton } from './CopyIconButton';
import { HttpStatusBadge } from './HttpStatusBadge';
import { MethodBadge } from './MethodBadge';

function LogRow({ log, keyName }: { log: RequestLog; keyName: string | undefined }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  return (
    <Table.Tr data-testid="request-log-row" data-request-id={log.request_id} data-method={log.method} data-status={log.status}>
      <Table.Td>
        <Tooltip label={formatDateTime(log.created_at, lng)}>
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {formatRelative(log.created_at, lng)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <MethodBadge method={log.method} />
      </Table.Td>
      <Table.Td maw={320}>
        <Text size="sm" ff="monospace" truncate="end" title={log.path}>
          {log.path}
        </Text>
        <Group gap={4} mt={2}>
          {keyName ? (
            <Text size="xs" c="dimmed" truncate="end">
              {keyName}
            </Text>
          ) : null}
          {!log.livemode ? (
            <Badge size="xs" variant="outline" color="yellow">
              {t('developers.test')}
            </Badge>
          ) : null}
          {log.idempotent_replayed ? (
            <Badge size="xs" variant="light" color="gray">
              {t('developers.logs.replayed')}
            </Badge>
          ) : null}
        </Group>
      </Table.Td>
      <Table.Td>
        <HttpStatusBadge status={log.status} />
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
          {t('developers.logs.ms', { value: formatNumber(log.latency_ms, lng) })}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={2} wrap="nowrap">
          <Text size="xs" ff="monospace" data-testid="request-id">
            {log.request_id}
          </Text>
          <CopyIconButton value={log.request_id} label={t('developers.logs.copyRequestId', { id: log.request_id })} size="sm" />
        </Group>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }} c={log.credits_charged ? undefined : 'dimmed'}>
          {formatNumber(log.credits_charged, lng)}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

/** API requests made with this account's keys: one row each. */
export function RequestLogTable({ logs, keyNames }: { logs: RequestLog[]; keyNames: Map<string, string> }) {
  const { t } = useTranslation();
  return (
    <Paper radius="lg" px="xs" py={4}>
      <Table.ScrollContainer minWidth={900}>
        <Table verticalSpacing="sm" horizontalSpacing="md" highlightOnHover data-testid="request-log">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('developers.logs.colTime')}</Table.Th>
              <Table.Th>{t('developers.logs.colMethod')}</Table.Th>
              <Table.Th>{t('developers.logs.colPath')}</Table.Th>
              <Table.Th>{t('developers.logs.colStatus')}</Table.Th>
              <Table.Th ta="right">{t('developers.logs.colLatency')}</Table.Th>
              <Table.Th>{t('developers.logs.colRequestId')}</Table.Th>
              <Table.Th ta="right">{t('developers.logs.colCredits')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {logs.map((log) => (
              <LogRow key={log.id} log={log} keyName={keyNames.get(log.api_key)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
