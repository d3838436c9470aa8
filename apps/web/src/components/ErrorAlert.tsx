import { Alert, Button, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage, errorTitle, requestIdOf } from '../lib/errors';

/** What went wrong and what to do, with the API's detail and request id. */
export function ErrorAlert({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const requestId = requestIdOf(error);
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} title={errorTitle(error, t)} role="alert">
      <Text size="sm">{errorMessage(error, t)}</Text>
      {requestId ? (
        <Text size="xs" c="dimmed" mt={4}>
          {t('errors.requestId', { id: requestId })}
        </Text>
      ) : null}
      {onRetry ? (
        <Button size="compact-sm" variant="light" color="red" mt="sm" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      ) : null}
    </Alert>
  );
}
