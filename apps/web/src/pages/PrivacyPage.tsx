import { Anchor, Badge, Box, Container, Group, List, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../api/auth';
import { usePrivacyConfig } from '../api/privacy';
import { Brand } from '../components/Brand';
import { ErrorAlert } from '../components/ErrorAlert';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { CookieBanner } from '../components/privacy/CookieBanner';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

/** Public: what this deployment does with data, rendered from GET /privacy/config. */
export function PrivacyPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('privacy.page.title'));
  const session = useSession();
  const config = usePrivacyConfig();
  const c = config.data;
  const v = (key: string) => t(`privacy.page.value.${key}`);

  return (
    <Box mih="100vh">
      <Group justify="space-between" p="lg">
        <Anchor component={Link} to="/" aria-label={t('privacy.page.back')}>
          <Brand size="md" />
        </Anchor>
        <LanguageSwitch size="xs" />
      </Group>
      <Container size="md" component="main" pb={160}>
        <Stack gap="lg">
          <Stack gap={4}>
            <Title order={1}>{t('privacy.page.title')}</Title>
            <Text c="dimmed">{t('privacy.page.intro')}</Text>
          </Stack>
          {config.error ? <ErrorAlert error={config.error} onRetry={() => void config.refetch()} /> : null}
          {!c && !config.error ? <Loader aria-label={t('common.loading')} /> : null}
          {c ? (
            <>
              <Paper p="lg" radius="lg" component="section" aria-labelledby="pp-integrations">
                <Title order={2} size="h4" id="pp-integrations" mb="sm">
                  {t('privacy.page.integrationsTitle')}
                </Title>
                <Table data-testid="privacy-integrations">
                  <Table.Tbody>
                    {[
                      [t('privacy.page.database'), v(c.integrations.database)],
                      [t('privacy.page.fileStorage'), v(c.integrations.file_storage)],
                      [t('privacy.page.queue'), v(c.integrations.queue)],
                      [t('privacy.page.email'), v(c.integrations.email)],
                      [t('privacy.page.analytics'), v(c.integrations.analytics)],
                      [t('privacy.page.ga4'), c.integrations.ga4_conversions ? t('privacy.page.enabled') : t('privacy.page.disabled')],
                    ].map(([k, val]) => (
                      <Table.Tr key={k}>
                        <Table.Th scope="row" w="45%">
                          {k}
                        </Table.Th>
                        <Table.Td>{val}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                <Title order={3} size="h5" mt="md" mb="xs">
                  {t('privacy.page.providersTitle')}
                </Title>
                <Group gap="xs">
                  {c.job_providers.map((p) => (
                    <Badge key={p.job_type} variant="light" tt="none">
                      {p.job_type}: {p.provider}
                    </Badge>
                  ))}
                </Group>
              </Paper>
              <Paper p="lg" radius="lg" component="section" aria-labelledby="pp-retention">
                <Title order={2} size="h4" id="pp-retention" mb="sm">
                  {t('privacy.page.retentionTitle')}
                </Title>
                <List spacing="xs" size="sm">
                  {c.retention.map((r) => (
                    <List.Item key={`${r.module}-${r.table}-${r.days}`}>
                      <Text span fw={500}>{t('privacy.page.days', { count: r.days })}</Text> — {r.description}
                    </List.Item>
                  ))}
                </List>
              </Paper>
              <Paper p="lg" radius="lg" component="section" aria-labelledby="pp-data">
                <Title order={2} size="h4" id="pp-data" mb="sm">
                  {t('privacy.page.dataTitle')}
                </Title>
                <Stack gap="sm">
                  {c.data.map((d) => (
                    <Stack key={d.table} gap={2}>
                      <Group gap="xs">
                        <Text size="sm" fw={600} ff="monospace">
                          {d.table}
                        </Text>
                        {d.exported ? <Badge size="xs" variant="light" color="teal">{t('privacy.page.exported')}</Badge> : null}
                        {d.deleted_with_account ? <Badge size="xs" variant="light" color="red">{t('privacy.page.deleted')}</Badge> : null}
                      </Group>
                      <Text size="sm" c="dimmed">
                        {d.description}
                      </Text>
                    </Stack>
                  ))}
                </Stack>
              </Paper>
              <Paper p="lg" radius="lg" component="section" aria-labelledby="pp-rights">
                <Title order={2} size="h4" id="pp-rights" mb="xs">
                  {t('privacy.page.rightsTitle')}
                </Title>
                <Text size="sm">{t('privacy.page.rights')}</Text>
              </Paper>
            </>
          ) : null}
        </Stack>
      </Container>
      {session.isFetched ? <CookieBanner signedIn={!!session.data} /> : null}
    </Box>
  );
}
