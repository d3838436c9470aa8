import { Anchor, Button, Code, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { IconBook, IconExternalLink, IconFileCode } from '@tabler/icons-react';
import { Trans, useTranslation } from 'react-i18next';
import { musicVideoSnippet, pollJobSnippet, sdkSnippet, uploadSnippet, WEBHOOK_VERIFY_SNIPPET } from '../../lib/apiSnippets';
import { CodeSnippet } from './CodeSnippet';

/** API reference links, curl examples, the SDK script and webhook verification. */
export function QuickStartPanel() {
  const { t } = useTranslation();
  const origin = window.location.origin;
  return (
    <Stack gap="lg">
      <Paper radius="lg" p={{ base: 'md', sm: 'lg' }}>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('developers.quickStart.referenceTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('developers.quickStart.referenceBody')}
          </Text>
          <Group gap="sm">
            <Button
              component="a"
              href="/api/v1/docs"
              target="_blank"
              rel="noopener"
              leftSection={<IconBook size={16} aria-hidden />}
              rightSection={<IconExternalLink size={14} aria-hidden />}
            >
              {t('developers.quickStart.reference')}
            </Button>
            <Button
              component="a"
              href="/api/v1/openapi.json"
              target="_blank"
              rel="noopener"
              variant="default"
              leftSection={<IconFileCode size={16} aria-hidden />}
              rightSection={<IconExternalLink size={14} aria-hidden />}
            >
              {t('developers.quickStart.openapi')}
            </Button>
          </Group>
        </Stack>
      </Paper>

      <Paper radius="lg" p={{ base: 'md', sm: 'lg' }}>
        <Stack gap="md">
          <Title order={2} size="h4">
            {t('developers.quickStart.stepsTitle')}
          </Title>
          <List size="sm" spacing={4} c="dimmed">
            <List.Item>
              <Trans i18nKey="developers.quickStart.authNote" components={{ c: <Code /> }} />
            </List.Item>
            <List.Item>
              <Trans i18nKey="developers.quickStart.idempotencyNote" components={{ c: <Code /> }} />
            </List.Item>
            <List.Item>{t('developers.quickStart.testNote')}</List.Item>
          </List>
          <CodeSnippet title={t('developers.quickStart.upload')} description={t('developers.quickStart.uploadHint')} code={uploadSnippet(origin)} testId="snippet-upload" />
          <CodeSnippet
            title={t('developers.quickStart.musicVideo')}
            description={t('developers.quickStart.musicVideoHint')}
            code={musicVideoSnippet(origin)}
            testId="snippet-music-video"
          />
          <CodeSnippet title={t('developers.quickStart.poll')} description={t('developers.quickStart.pollHint')} code={pollJobSnippet(origin)} testId="snippet-poll" />
        </Stack>
      </Paper>

      <Paper radius="lg" p={{ base: 'md', sm: 'lg' }}>
        <Stack gap="md">
          <Title order={2} size="h4">
            {t('developers.quickStart.sdkTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            <Trans i18nKey="developers.quickStart.sdkBody" components={{ c: <Code /> }} />
          </Text>
          <CodeSnippet title={t('developers.quickStart.sdk')} description={t('developers.quickStart.sdkHint')} code={sdkSnippet(origin)} testId="snippet-sdk" />
        </Stack>
      </Paper>

      <Paper radius="lg" p={{ base: 'md', sm: 'lg' }}>
        <Stack gap="md">
          <Title order={2} size="h4">
            {t('developers.quickStart.webhooksTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            <Trans i18nKey="developers.quickStart.webhooksBody" components={{ c: <Code />, a: <Anchor href="https://www.standardwebhooks.com/" target="_blank" rel="noopener" /> }} />
          </Text>
          <CodeSnippet title={t('developers.quickStart.verify')} description={t('developers.quickStart.verifyHint')} code={WEBHOOK_VERIFY_SNIPPET} testId="snippet-webhook" />
        </Stack>
      </Paper>
    </Stack>
  );
}
