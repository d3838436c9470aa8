import { Box, Button, Group, Text, ThemeIcon } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconMailExclamation } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { resendVerification, useUser } from '../api/auth';
import { useMailbox } from '../api/mailbox';
import { errorMessage, errorTitle } from '../lib/errors';
import classes from './VerifyEmailBanner.module.css';

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
    <Box className={classes.banner} px={{ base: 'md', sm: 'xl' }} py="sm" role="region" aria-label={t('verify.regionLabel')} data-testid="verify-banner">
      <Group justify="space-between" gap="sm" wrap="wrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ThemeIcon variant="light" color="yellow" radius="xl" size={32} aria-hidden>
            <IconMailExclamation size={18} />
          </ThemeIcon>
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            <Trans i18nKey="verify.banner" values={{ email: user.email }} components={{ b: <b /> }} />
          </Text>
        </Group>
        <Group gap="xs" ml="auto">
          {mailbox.data ? (
            <Button component={Link} to="/mailbox" size="compact-sm" variant="subtle" color="gray">
              {t('verify.openMailbox')}
            </Button>
          ) : null}
          <Button size="compact-sm" variant="default" loading={resend.isPending} onClick={() => resend.mutate()}>
            {t('verify.resend')}
          </Button>
        </Group>
      </Group>
    </Box>
  );
}
