import { Alert, Button, Group, Stack, TextInput } from '@mantine/core';
import { PasswordField } from '../PasswordField';
import { IconMailForward } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { requestEmailChange } from '../../api/auth';
import { ApiError } from '../../api/problem';
import { ErrorAlert } from '../ErrorAlert';
import { SettingsSection } from './SettingsSection';

export function EmailSection() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const change = useMutation({
    mutationFn: () => requestEmailChange(email.trim(), password),
    onSuccess: () => {
      setSentTo(email.trim());
      setEmail('');
      setPassword('');
    },
  });
  const apiErr = change.error instanceof ApiError ? change.error : null;
  const emailErr = apiErr?.fieldError('new_email');
  const passwordErr = apiErr?.fieldError('password') ?? (apiErr?.code === 'invalid_credentials' || apiErr?.code === 'invalid_password' ? apiErr.detail : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSentTo(null);
    change.mutate();
  };

  return (
    <SettingsSection id="email" title={t('settings.emailTitle')} description={t('settings.emailHelp')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md" maw={480}>
          {sentTo ? (
            <Alert color="teal" variant="light" icon={<IconMailForward size={20} aria-hidden />} title={t('settings.emailSentTitle')} role="status">
              {t('settings.emailSentBody', { email: sentTo })}
            </Alert>
          ) : null}
          {change.error && !emailErr && !passwordErr ? <ErrorAlert error={change.error} /> : null}
          <TextInput
            label={t('settings.newEmail')}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={emailErr}
          />
          <PasswordField
            label={t('settings.currentPassword')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={passwordErr}
          />
          <Group>
            <Button type="submit" variant="light" loading={change.isPending} disabled={!email.trim() || !password}>
              {t('settings.emailSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SettingsSection>
  );
}
