import { Button, Center, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/errors';

export function FullPageError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <Center h="100dvh" p="xl">
      <Stack align="center" gap="sm" maw={420} ta="center">
        <IconAlertTriangle size={40} color="var(--mantine-color-red-5)" aria-hidden />
        <Title order={2} size="h3">
          {t('errors.pageTitle')}
        </Title>
        <Text c="dimmed">{errorMessage(error, t)}</Text>
        <Button onClick={onRetry}>{t('common.retry')}</Button>
      </Stack>
    </Center>
  );
}
