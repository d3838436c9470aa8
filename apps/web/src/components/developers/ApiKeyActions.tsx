import { Button, Group } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBan, IconSend } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useRevokeApiKey, useSendTestWebhook } from '../../api/developer';
import type { ApiKey } from '../../api/types';
import { errorMessage, errorTitle } from '../../lib/errors';
import { ConfirmPopover } from '../ConfirmPopover';

/** "Send test event" (keys with a callback URL) and "Revoke" (with a confirmation). */
export function ApiKeyActions({ apiKey }: { apiKey: ApiKey }) {
  const { t } = useTranslation();
  const revoke = useRevokeApiKey();
  const test = useSendTestWebhook();
  const onError = (err: unknown) => notifications.show({ color: 'red', title: errorTitle(err, t), message: errorMessage(err, t) });
  if (apiKey.revoked_at) return null;

  const sendTest = () =>
    test.mutate(apiKey.id, {
      onError,
      onSuccess: (delivery) => {
        const ok = delivery.status === 'succeeded';
        const code = delivery.last_status_code;
        notifications.show({
          color: ok ? 'teal' : 'red',
          title: ok ? t('developers.keys.testSentTitle') : t('developers.keys.testFailedTitle'),
          message: ok
            ? t('developers.keys.testSentBody', { code: code ?? '—' })
            : (delivery.last_error ?? t('developers.keys.testFailedBody', { code: code ?? '—' })),
        });
      },
    });

  return (
    <Group gap="xs" justify="flex-end">
      {apiKey.callback_url ? (
        <Button
          size="xs"
          variant="default"
          leftSection={<IconSend size={14} aria-hidden />}
          loading={test.isPending}
          onClick={sendTest}
          aria-label={t('developers.keys.sendTestNamed', { name: apiKey.name })}
        >
          {t('developers.keys.sendTest')}
        </Button>
      ) : null}
      <ConfirmPopover
        message={t('developers.keys.confirmRevoke', { name: apiKey.name })}
        confirmLabel={t('developers.keys.revoke')}
        loading={revoke.isPending}
        onConfirm={() =>
          revoke.mutate(apiKey.id, {
            onError,
            onSuccess: () => notifications.show({ color: 'teal', message: t('developers.keys.revoked', { name: apiKey.name }) }),
          })
        }
      >
        {(open) => (
          <Button
            size="xs"
            variant="light"
            color="red"
            leftSection={<IconBan size={14} aria-hidden />}
            onClick={open}
            aria-label={t('developers.keys.revokeNamed', { name: apiKey.name })}
          >
            {t('developers.keys.revoke')}
          </Button>
        )}
      </ConfirmPopover>
    </Group>
  );
}
