import { Badge, Code, Group, Paper, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { ApiKey } from '../../api/types';
import { formatDateTime, formatNumber, formatRelative } from '../../lib/format';
import { ApiKeyActions } from './ApiKeyActions';
import { KeyModeBadge } from './KeyModeBadge';
import { MetaItem } from './MetaItem';
import { ScopeBadges } from './ScopeBadges';

function When({ iso, empty }: { iso: string | null; empty: string }) {
  const { i18n } = useTranslation();
  if (!iso) return <Text size="sm" c="dimmed" component="span">{empty}</Text>;
  return (
    <Tooltip label={formatDateTime(iso, i18n.language)}>
      <Text size="sm" component="span">
        {formatRelative(iso, i18n.language)}
      </Text>
    </Tooltip>
  );
}

/** One API key: what it can do, where its webhooks go, when it was used, and its actions. */
export function ApiKeyItem({ apiKey }: { apiKey: ApiKey }) {
  const { t, i18n } = useTranslation();
  const revoked = !!apiKey.revoked_at;
  const expired = !revoked && !!apiKey.expires_at && new Date(apiKey.expires_at).getTime() <= Date.now();
  return (
    <Paper
      radius="lg"
      p={{ base: 'md', sm: 'lg' }}
      data-testid="api-key"
      data-key-id={apiKey.id}
      data-revoked={revoked || undefined}
      style={revoked ? { opacity: 0.72 } : undefined}
    >
      <Stack gap="md">
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={6} miw={0}>
            <Group gap="xs">
              <Text fw={700} size="lg" style={{ overflowWrap: 'anywhere' }}>
                {apiKey.name}
              </Text>
              <KeyModeBadge livemode={apiKey.livemode} />
              {revoked ? (
                <Badge size="sm" color="red" variant="filled" data-testid="key-revoked">
                  {t('developers.keys.revokedBadge')}
                </Badge>
              ) : null}
              {expired ? (
                <Badge size="sm" color="orange" variant="light">
                  {t('developers.keys.expiredBadge')}
                </Badge>
              ) : null}
            </Group>
            <Code fz="sm" w="fit-content" aria-label={t('developers.keys.prefix')}>
              {apiKey.prefix}…
            </Code>
          </Stack>
          <ApiKeyActions apiKey={apiKey} />
        </Group>
        <ScopeBadges scopes={apiKey.scopes} />
        <SimpleGrid cols={{ base: 2, sm: revoked ? 5 : 4 }} spacing="md" verticalSpacing="sm">
          <MetaItem label={t('developers.keys.rateLimit')}>
            {t('developers.keys.perMinute', { count: apiKey.rate_limit_per_minute, formatted: formatNumber(apiKey.rate_limit_per_minute, i18n.language) })}
          </MetaItem>
          <MetaItem label={t('developers.keys.lastUsed')}>
            <When iso={apiKey.last_used_at} empty={t('developers.keys.never')} />
          </MetaItem>
          <MetaItem label={t('developers.keys.created')}>
            <When iso={apiKey.created_at} empty="—" />
          </MetaItem>
          <MetaItem label={t('developers.keys.expires')}>
            <When iso={apiKey.expires_at} empty={t('developers.keys.never')} />
          </MetaItem>
          {revoked ? (
            <MetaItem label={t('developers.keys.revokedAt')}>
              <When iso={apiKey.revoked_at} empty="—" />
            </MetaItem>
          ) : null}
        </SimpleGrid>
        <MetaItem label={t('developers.keys.callbackUrl')}>
          {apiKey.callback_url ? (
            <Group gap={6} wrap="nowrap">
              <Text size="sm" ff="monospace" truncate="end" title={apiKey.callback_url}>
                {apiKey.callback_url}
              </Text>
              {apiKey.callback_disabled_at ? (
                <Badge size="xs" color="orange" variant="light">
                  {t('developers.keys.callbackDisabled')}
                </Badge>
              ) : null}
            </Group>
          ) : (
            <Text size="sm" c="dimmed" component="span">
              {t('developers.keys.noCallback')}
            </Text>
          )}
        </MetaItem>
      </Stack>
    </Paper>
  );
}
