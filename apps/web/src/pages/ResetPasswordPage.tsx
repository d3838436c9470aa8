import { Alert, Anchor, Button, Stack } from '@mantine/core';
import { PasswordField } from '../components/PasswordField';
import { IconCircleCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { confirmPasswordReset, useSession } from '../api/auth';
import { ApiError } from '../api/problem';
import { AuthCard } from '../components/auth/AuthCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { MIN_PASSWORD } from './SignupPage';

export function ResetPasswordPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('reset.title'));
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const session = useSession();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [local, setLocal] = useState<string | null>(null);
  const mutation = useMutation({ mutationFn: () => confirmPasswordReset(token, password) });
  const apiErr = mutation.error instanceof ApiError ? mutation.error : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length < MIN_PASSWORD) return setLocal(t('signup.passwordShort', { count: MIN_PASSWORD }));
    if (password !== confirm) return setLocal(t('reset.mismatch'));
    setLocal(null);
    mutation.mutate();
  };

  if (!token) {
    return (
      <AuthCard title={t('reset.title')}>
        <Alert color="red" variant="light" title={t('links.missingTitle')}>
          {t('links.missingBody')}
        </Alert>
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('reset.title')} subtitle={t('reset.subtitle')}>
      {mutation.isSuccess ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCircleCheck size={20} aria-hidden />} title={t('reset.doneTitle')} role="status">
            {t('reset.doneBody')}
          </Alert>
          <Button component={Link} to={session.data ? '/' : '/login'} size="md" fullWidth>
            {session.data ? t('links.continue') : t('reset.toLogin')}
          </Button>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            {mutation.error && !apiErr?.fieldError('password') ? <ErrorAlert error={mutation.error} /> : null}
            <PasswordField
              label={t('reset.newPassword')}
              autoComplete="new-password"
              required
              description={t('signup.passwordHint', { count: MIN_PASSWORD })}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              error={local ?? apiErr?.fieldError('password')}
              size="md"
              data-autofocus
            />
            <PasswordField
              label={t('reset.confirmPassword')}
              autoComplete="new-password"
              required
              value={confirm}
              onChange={(e) => setConfirm(e.currentTarget.value)}
              size="md"
            />
            <Button type="submit" size="md" fullWidth loading={mutation.isPending}>
              {t('reset.submit')}
            </Button>
            <Anchor component={Link} to="/forgot-password" size="sm" ta="center">
              {t('reset.newLink')}
            </Anchor>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
