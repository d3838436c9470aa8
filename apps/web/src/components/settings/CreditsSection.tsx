import { Anchor, Group, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { IconBolt } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCredits } from '../../api/account';
import { formatDateTime, formatNumber } from '../../lib/format';
import { ErrorAlert } from '../ErrorAlert';
import { SettingsSection } from './SettingsSection';

export function CreditsSection() {
  const { t, i18n } = useTranslation();
  const credits = useCredits();
  const lng = i18n.language;
  return (
    <SettingsSection id="credits" title={t('settings.creditsTitle')} description={t('settings.creditsHelp')}>
      {credits.isPending ? (
        <Skeleton h={120} />
      ) : credits.isError ? (
        <ErrorAlert error={credits.error} onRetry={() => void credits.refetch()} />
      ) : (
        <Stack gap="md">
          <Group gap="xs" align="baseline">
            <IconBolt size={22} color="var(--mantine-color-violet-4)" aria-hidden />
            <Title order={3} size="h2" data-testid="credits-balance">
              {formatNumber(credits.data.balance, lng)}
            </Title>
            <Text c="dimmed">{t('settings.creditsUnit', { count: credits.data.balance })}</Text>
          </Group>
          {credits.data.ledger.data.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('settings.ledgerEmpty')}
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={480}>
              <Table verticalSpacing="xs" striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('settings.ledgerDate')}</Table.Th>
                    <Table.Th>{t('settings.ledgerReason')}</Table.Th>
                    <Table.Th ta="right">{t('settings.ledgerChange')}</Table.Th>
                    <Table.Th ta="right">{t('settings.ledgerBalance')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {credits.data.ledger.data.map((entry) => (
                    <Table.Tr key={entry.id}>
                      <Table.Td>
                        <Text size="sm">{formatDateTime(entry.created_at, lng)}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">
                          {t(`ledgerReasons.${entry.reason}`, { defaultValue: entry.reason })}
                          {entry.job_id ? (
                            <>
                              {' · '}
                              <Anchor component={Link} to={`/jobs/${entry.job_id}`} size="sm">
                                {t('settings.ledgerJob')}
                              </Anchor>
                            </>
                          ) : null}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm" c={entry.delta >= 0 ? 'teal' : undefined} fw={600}>
                          {entry.delta > 0 ? '+' : ''}
                          {formatNumber(entry.delta, lng)}
                        </Text>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm">{formatNumber(entry.balance_after, lng)}</Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      )}
    </SettingsSection>
  );
}
