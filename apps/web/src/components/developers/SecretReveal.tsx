import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { CreatedApiKey } from '../../api/types';
import { KeyModeBadge } from './KeyModeBadge';
import { SecretField } from './SecretField';

/** The one and only time a new key's secrets are shown. */
export function SecretReveal({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack gap="md" data-testid="secret-reveal">
      <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={20} aria-hidden />} title={t('developers.reveal.warningTitle')} role="alert">
        {t('developers.reveal.warningBody')}
      </Alert>
      <Group gap="xs">
        <Text fw={600}>{created.name}</Text>
        <KeyModeBadge livemode={created.livemode} />
      </Group>
      <SecretField
        label={t('developers.reveal.secret')}
        value={created.secret}
        copyLabel={t('developers.reveal.copySecret')}
        testId="api-key-secret"
      />
      {created.webhook_secret ? (
        <SecretField
          label={t('developers.reveal.webhookSecret')}
          value={created.webhook_secret}
          copyLabel={t('developers.reveal.copyWebhookSecret')}
          testId="webhook-secret"
        />
      ) : null}
      <Text size="sm" c="dimmed">
        {created.livemode ? t('developers.reveal.usage') : t('developers.reveal.usageTest')}
      </Text>
      <Group justify="flex-end">
        <Button onClick={onDone}>{t('developers.reveal.done')}</Button>
      </Group>
    </Stack>
  );
}
