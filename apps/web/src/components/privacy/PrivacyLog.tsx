import { Loader, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { usePrivacyLog, type PrivacyLogEntry } from '../../api/privacy';
import { ErrorAlert } from '../ErrorAlert';

/** The user's privacy actions, newest first. */
export function PrivacyLog() {
  const { t, i18n } = useTranslation();
  const log = usePrivacyLog();
  const label = (e: PrivacyLogEntry) =>
    t(`privacy.settings.action.${e.action}`, { state: e.detail.analytics ? t('privacy.settings.on') : t('privacy.settings.off') });

  if (log.error) return <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />;
  if (!log.data) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (!log.data.data.length) return <Text size="sm" c="dimmed">{t('privacy.settings.logEmpty')}</Text>;
  return (
    <Table.ScrollContainer minWidth={320}>
      <Table verticalSpacing="xs" aria-label={t('privacy.settings.logTitle')} data-testid="privacy-log">
        <Table.Tbody>
          {log.data.data.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{label(e)}</Table.Td>
              <Table.Td c="dimmed" ta="right">
                <time dateTime={e.created_at}>{new Date(e.created_at).toLocaleString(i18n.language)}</time>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
