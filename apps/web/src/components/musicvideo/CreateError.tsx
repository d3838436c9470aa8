import { Alert, List, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/problem';
import { errorMessage, errorTitle } from '../../lib/errors';

/**
 * Why "Create" did not work: a translated sentence for the problem's code, then the API's
 * `detail` and field errors (which name the exact file or field), and the request id.
 */
export function CreateError({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const api = error instanceof ApiError ? error : null;
  const known = api ? t(`musicVideo.errors.${api.code}`, { defaultValue: '' }) : '';
  return (
    <Alert color="red" variant="light" icon={<IconAlertCircle size={20} aria-hidden />} title={known || errorTitle(error, t)} role="alert" data-testid="mv-create-error">
      <Text size="sm">{errorMessage(error, t)}</Text>
      {api && api.fieldErrors.length > 1 ? (
        <List size="xs" mt={4}>
          {api.fieldErrors.map((f) => (
            <List.Item key={`${f.param}-${f.message}`}>
              <code>{f.param}</code>: {f.message}
            </List.Item>
          ))}
        </List>
      ) : null}
      {api?.requestId ? (
        <Text size="xs" c="dimmed" mt={4}>
          {t('errors.requestId', { id: api.requestId })}
        </Text>
      ) : null}
    </Alert>
  );
}
