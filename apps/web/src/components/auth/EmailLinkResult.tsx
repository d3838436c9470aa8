import { Alert, Button, Group, Loader, Stack, Text } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../api/auth';
import { ErrorAlert } from '../ErrorAlert';
import { AuthCard } from './AuthCard';

interface EmailLinkResultProps {
  token: string;
  status: 'idle' | 'pending' | 'success' | 'error';
  error: unknown;
  title: string;
  pendingText: string;
  doneTitle: string;
  doneText: string;
  testId: string;
}

/** The shared look of pages opened from an email link: working → done, or what went wrong. */
export function EmailLinkResult(props: EmailLinkResultProps) {
  const { t } = useTranslation();
  const session = useSession();
  const signedIn = !!session.data;
  const next = (
    <Button component={Link} to={signedIn ? '/' : '/login'} size="md" fullWidth>
      {signedIn ? t('links.continue') : t('links.toLogin')}
    </Button>
  );
  let body;
  if (!props.token) {
    body = (
      <Alert color="red" variant="light" title={t('links.missingTitle')}>
        {t('links.missingBody')}
      </Alert>
    );
  } else if (props.status === 'success') {
    body = (
      <Stack gap="md">
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={20} aria-hidden />} title={props.doneTitle} role="status">
          {props.doneText}
        </Alert>
        {next}
      </Stack>
    );
  } else if (props.status === 'error') {
    body = (
      <Stack gap="md">
        <ErrorAlert error={props.error} />
        <Text size="sm" c="dimmed">
          {t('links.expiredHint')}
        </Text>
        {next}
      </Stack>
    );
  } else {
    body = (
      <Group gap="sm" role="status">
        <Loader size="sm" />
        <Text>{props.pendingText}</Text>
      </Group>
    );
  }
  return (
    <AuthCard title={props.title}>
      <div data-testid={props.testId} data-status={props.token ? props.status : 'missing'}>
        {body}
      </div>
    </AuthCard>
  );
}
