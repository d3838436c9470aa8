import { Alert, Button, Stack, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { requestPasswordReset, useUser } from '../../api/auth';
import { ErrorAlert } from '../ErrorAlert';
import { SettingsSection } from './SettingsSection';

export function PasswordSection() {
  const { t } = useTranslation();
  const user = useUser();
  const reset = useMutation({ mutationFn: () => requestPasswordReset(user.email) });
  return (
    <SettingsSection id="password" title={t('settings.passwordTitle')} description={t('settings.passwordHelp')}>
      <Stack gap="md" maw={480} align="flex-start">
        {reset.isSuccess ? (
          <Alert color="teal" variant="light" title={t('settings.resetSentTitle')} role="status" w="100%">
            {t('settings.resetSentBody', { email: user.email })}
          </Alert>
        ) : null}
        {reset.error ? <ErrorAlert error={reset.error} /> : null}
        <Text size="sm" c="dimmed">
          {t('settings.resetExplain', { email: user.email })}
        </Text>
        <Button variant="light" leftSection={<IconKey size={16} aria-hidden />} loading={reset.isPending} onClick={() => reset.mutate()}>
          {t('settings.resetSubmit')}
        </Button>
      </Stack>
    </SettingsSection>
  );
}
