import { Anchor, Button, Stack, TextInput } from '@mantine/core';
import { PasswordField } from '../components/PasswordField';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { signup } from '../api/auth';
import { ApiError } from '../api/problem';
import { AuthCard } from '../components/auth/AuthCard';
import { useAuthSuccess } from '../components/auth/useAuthSuccess';
import { ErrorAlert } from '../components/ErrorAlert';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export const MIN_PASSWORD = 8;

export function SignupPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('signup.title'));
  const [params] = useSearchParams();
  const onSuccess = useAuthSuccess();
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [local, setLocal] = useState<Partial<Record<'name' | 'email' | 'password', string>>>({});
  const mutation = useMutation({ mutationFn: signup, onSuccess: (s) => onSuccess(s, { fresh: true }) });
  const apiErr = mutation.error instanceof ApiError ? mutation.error : null;
  const fieldError = (name: 'name' | 'email' | 'password') => local[name] ?? apiErr?.fieldError(name);
  const showAlert = mutation.error && !(apiErr && apiErr.fieldErrors.length > 0);

  const set = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [key]: value }));
    setLocal((l) => ({ ...l, [key]: undefined }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors: typeof local = {};
    if (!form.name.trim()) errors.name = t('signup.nameRequired');
    if (!/^\S+@\S+\.\S+$/.test(form.email.trim())) errors.email = t('signup.emailInvalid');
    if (form.password.length < MIN_PASSWORD) errors.password = t('signup.passwordShort', { count: MIN_PASSWORD });
    setLocal(errors);
    if (Object.keys(errors).length) return;
    mutation.mutate({ name: form.name.trim(), email: form.email.trim(), password: form.password });
  };

  const next = params.get('next');
  return (
    <AuthCard
      title={t('signup.title')}
      subtitle={t('signup.subtitle')}
      footer={
        <>
          {t('signup.haveAccount')}{' '}
          <Anchor component={Link} to={next ? `/login?next=${encodeURIComponent(next)}` : '/login'} fw={600}>
            {t('signup.loginLink')}
          </Anchor>
        </>
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {showAlert ? <ErrorAlert error={mutation.error} /> : null}
          <TextInput
            label={t('fields.name')}
            name="name"
            autoComplete="name"
            required
            value={form.name}
            onChange={set('name')}
            error={fieldError('name')}
            size="md"
            data-autofocus
          />
          <TextInput
            label={t('fields.email')}
            type="email"
            name="email"
            autoComplete="email"
            required
            value={form.email}
            onChange={set('email')}
            error={fieldError('email')}
            size="md"
          />
          <PasswordField
            label={t('fields.password')}
            name="password"
            autoComplete="new-password"
            required
            description={t('signup.passwordHint', { count: MIN_PASSWORD })}
            value={form.password}
            onChange={set('password')}
            error={fieldError('password')}
            size="md"
          />
          <Button type="submit" size="md" fullWidth loading={mutation.isPending}>
            {t('signup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
