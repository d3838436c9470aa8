import { Alert, Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailExclamation } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { resendVerification, useUser } from '../api/auth';
import { useMailbox } from '../api/mailbox';
import { errorMessage, errorTitle } from '../lib/errors';

/** Shown on every page until the address is verified. */
export function VerifyEmailBanner() {
  const { t } = useTranslation();
  const user = useUser();
  const mailbox = useMailbox({ enabled: !user.email_verified });
  const resend = useMutation({
    mutationFn: resendVerification,
    onSuccess: () =>
      notifications.show({ color: 'teal', title: t('verify.resentTitle'), message: t('verify.resentBody', { email: user.email }) }),
    onError: (err) => notifications.show({ color: 'red', title: errorTitle(err, t), message: errorMessage(err, t) }),
  });
  if (user.email_verified) return null;
  return (
    <Alert
      variant="light"
      color="yellow"
      radius={0}
      icon={<IconMailExclamation size={20} aria-hidden />}
      data-testid="verify-banner"
      styles={{ root: { borderLeft: 0, borderRight: 0, borderTop: 0 } }}
    >
      <Group justify="space-between" gap="sm">
        <Text size="sm">
          <Trans i18nKey="verify.banner" values={{ email: user.email }} components={{ b: <b /> }} />
        </Text>
        <Group gap="xs">
          {mailbox.data ? (
            <Button component={Link} to="/mailbox" size="compact-sm" variant="subtle" color="yellow">
              {t('verify.openMailbox')}
            </Button>
          ) : null}
          <Button size="compact-sm" variant="light" color="yellow" loading={resend.isPending} onClick={() => resend.mutate()}>
            {t('verify.resend')}
          </Button>
        </Group>
      </Group>
    </Alert>
  );
}
