import { Anchor, Button, Group, Stack, TextInput } from '@mantine/core';
import { PasswordField } from '../components/PasswordField';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { login } from '../api/auth';
import { ApiError } from '../api/problem';
import { AuthCard } from '../components/auth/AuthCard';
import { useAuthSuccess } from '../components/auth/useAuthSuccess';
import { ErrorAlert } from '../components/ErrorAlert';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export function LoginPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('login.title'));
  const [params] = useSearchParams();
  const onSuccess = useAuthSuccess();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const mutation = useMutation({ mutationFn: login, onSuccess: (s) => onSuccess(s) });
  const err = mutation.error;
  const invalid = err instanceof ApiError && err.code === 'invalid_credentials';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate({ email: email.trim(), password });
  };

  const next = params.get('next');
  const signupHref = next ? `/signup?next=${encodeURIComponent(next)}` : '/signup';
  return (
    <AuthCard
      title={t('login.title')}
      subtitle={t('login.subtitle')}
      footer={
        <>
          {t('login.noAccount')}{' '}
          <Anchor component={Link} to={signupHref} fw={600}>
            {t('login.signupLink')}
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {err && !invalid ? <ErrorAlert error={err} /> : null}
          <TextInput
            label={t('fields.email')}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={invalid ? t('login.invalid') : undefined}
            size="md"
            data-autofocus
          />
          <PasswordField
            label={t('fields.password')}
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            size="md"
            error={invalid}
          />
          <Group justify="flex-end" mt={-8}>
            <Anchor component={Link} to="/forgot-password" size="sm">
              {t('login.forgot')}
            </Anchor>
          </Group>
          <Button type="submit" size="md" fullWidth loading={mutation.isPending}>
            {t('login.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
