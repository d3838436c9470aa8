import { ActionIcon, Box, Button, Code, Collapse, Group, Paper, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconRepeat } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useReplayDelivery } from '../../api/developer';
import type { WebhookDelivery } from '../../api/types';
import { errorMessage, errorTitle } from '../../lib/errors';
import { formatDateTime, formatRelative } from '../../lib/format';
import { DeliveryAttempts } from './DeliveryAttempts';
import { DeliveryStatusBadge } from './DeliveryStatusBadge';
import { HttpStatusBadge } from './HttpStatusBadge';
import { KeyModeBadge } from './KeyModeBadge';
import { MetaItem } from './MetaItem';

/** One webhook delivery: status, event, attempts, last answer, next retry; expands to the payload. */
export function DeliveryItem({ delivery }: { delivery: WebhookDelivery }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [expanded, toggle] = useDisclosure(false);
  const replay = useReplayDelivery();
  const panelId = `delivery-${delivery.id}`;

  const onReplay = () =>
    replay.mutate(delivery.id, {
      onError: (err) => notifications.show({ color: 'red', title: errorTitle(err, t), message: errorMessage(err, t) }),
      onSuccess: (d) =>
        notifications.show({
          color: d.status === 'succeeded' ? 'teal' : 'red',
          message:
            d.status === 'succeeded'
              ? t('developers.deliveries.replayed', { code: d.last_status_code ?? '—' })
              : t('developers.deliveries.replayFailed', { code: d.last_status_code ?? '—' }),
        }),
    });

  return (
    <Paper radius="lg" p="md" data-testid="webhook-delivery" data-status={delivery.status}>
      <Stack gap="sm">
        <Group justify="space-between" gap="sm" wrap="nowrap" align="flex-start">
          <Group gap="sm" miw={0}>
            <DeliveryStatusBadge status={delivery.status} />
            <Code fz="sm">{delivery.event_type}</Code>
            {!delivery.livemode ? <KeyModeBadge livemode={false} /> : null}
          </Group>
          <Group gap={4} wrap="nowrap">
            <Button size="xs" variant="default" leftSection={<IconRepeat size={14} aria-hidden />} loading={replay.isPending} onClick={onReplay}>
              {t('developers.deliveries.replay')}
            </Button>
            <Tooltip label={expanded ? t('developers.deliveries.hideDetails') : t('developers.deliveries.showDetails')}>
              <ActionIcon
                variant="subtle"
                color="gray"
                size="lg"
                onClick={toggle.toggle}
                aria-expanded={expanded}
                aria-controls={panelId}
                aria-label={expanded ? t('developers.deliveries.hideDetails') : t('developers.deliveries.showDetails')}
              >
                <IconChevronDown size={18} style={{ transform: expanded ? 'rotate(180deg)' : undefined, transition: 'transform 150ms' }} />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="md" verticalSpacing="xs">
          <MetaItem label={t('developers.deliveries.attempts')}>
            {t('developers.deliveries.attemptsOf', { count: delivery.attempt_count, max: delivery.max_attempts })}
          </MetaItem>
          <MetaItem label={t('developers.deliveries.lastResponse')}>
            {delivery.last_status_code !== null ? (
              <HttpStatusBadge status={delivery.last_status_code} />
            ) : (
              <Text size="sm" c="dimmed" component="span">
                {delivery.last_error ? t('developers.deliveries.noResponse') : '—'}
              </Text>
            )}
          </MetaItem>
          <MetaItem label={t('developers.deliveries.nextRetry')}>
            <span title={delivery.next_attempt_at ? formatDateTime(delivery.next_attempt_at, lng) : undefined}>
              {delivery.next_attempt_at ? formatRelative(delivery.next_attempt_at, lng) : '—'}
            </span>
          </MetaItem>
          <MetaItem label={t('developers.deliveries.created')}>
            <span title={formatDateTime(delivery.created_at, lng)}>{formatRelative(delivery.created_at, lng)}</span>
          </MetaItem>
        </SimpleGrid>
        <Collapse expanded={expanded}>
          <Stack gap="sm" id={panelId} pt="xs">
            <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md" verticalSpacing="xs">
              <MetaItem label={t('developers.deliveries.url')}>
                <Text size="sm" ff="monospace" component="span">
                  {delivery.url}
                </Text>
              </MetaItem>
              <MetaItem label={t('developers.deliveries.eventId')}>
                <Text size="sm" ff="monospace" component="span">
                  {delivery.event_id}
                </Text>
              </MetaItem>
              {delivery.job ? (
                <MetaItem label={t('developers.deliveries.job')}>
                  <Text component={Link} to={`/jobs/${delivery.job}`} size="sm" ff="monospace" c="violet">
                    {delivery.job}
                  </Text>
                </MetaItem>
              ) : null}
            </SimpleGrid>
            {delivery.last_error ? (
              <Text size="sm" c="red">
                {delivery.last_error}
              </Text>
            ) : null}
            <DeliveryAttempts attempts={delivery.attempts} />
            <Box>
              <Text size="xs" c="dimmed" tt="uppercase" fw={700} mb={4} style={{ letterSpacing: '0.04em' }}>
                {t('developers.deliveries.payload')}
              </Text>
              <Code block fz="xs" data-testid="delivery-payload" style={{ maxHeight: 320, overflow: 'auto' }}>
                {JSON.stringify(delivery.payload, null, 2)}
              </Code>
            </Box>
          </Stack>
        </Collapse>
      </Stack>
    </Paper>
  );
}
