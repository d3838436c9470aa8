import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { requestPasswordReset } from '../api/auth';
import { AuthCard } from '../components/auth/AuthCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('forgot.title'));
  const [email, setEmail] = useState('');
  const mutation = useMutation({ mutationFn: requestPasswordReset });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim()) mutation.mutate(email.trim());
  };
  return (
    <AuthCard
      title={t('forgot.title')}
      subtitle={t('forgot.subtitle')}
      footer={
        <Anchor component={Link} to="/login" fw={600}>
          {t('forgot.back')}
        </Anchor>
      }
    >
      {mutation.isSuccess ? (
        <Alert color="teal" variant="light" icon={<IconMailCheck size={20} aria-hidden />} title={t('forgot.sentTitle')} role="status">
          {t('forgot.sentBody', { email: email.trim() })}
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {mutation.error ? <ErrorAlert error={mutation.error} /> : null}
            <TextInput
              label={t('fields.email')}
              type="email"
              autoComplete="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              size="md"
              data-autofocus
            />
            <Button type="submit" size="md" fullWidth loading={mutation.isPending}>
              {t('forgot.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
