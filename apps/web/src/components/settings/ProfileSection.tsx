import { Button, Group, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useUpdateAccount } from '../../api/account';
import { useUser } from '../../api/auth';
import { ApiError } from '../../api/problem';
import { errorMessage, errorTitle } from '../../lib/errors';
import { SettingsSection } from './SettingsSection';

export function ProfileSection() {
  const { t } = useTranslation();
  const user = useUser();
  const [name, setName] = useState(user.name);
  const update = useUpdateAccount();
  useEffect(() => setName(user.name), [user.name]);
  const fieldErr = update.error instanceof ApiError ? update.error.fieldError('name') : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { name: name.trim() },
      {
        onSuccess: () => notifications.show({ color: 'teal', message: t('settings.profileSaved') }),
        onError: (err) => {
          if (!(err instanceof ApiError && err.fieldError('name'))) {
            notifications.show({ color: 'red', title: errorTitle(err, t), message: errorMessage(err, t) });
          }
        },
      },
    );
  };

  return (
    <SettingsSection id="profile" title={t('settings.profile')} description={t('settings.profileHelp')}>
      <form onSubmit={submit}>
        <Stack gap="md" maw={480}>
          <TextInput
            label={t('fields.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            autoComplete="name"
            required
            error={fieldErr}
          />
          <TextInput label={t('fields.email')} value={user.email} readOnly description={t('settings.emailReadonly')} />
          <Group>
            <Button type="submit" loading={update.isPending} disabled={!name.trim() || name.trim() === user.name}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </SettingsSection>
  );
}
