import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { setCsrfToken } from '../../api/client';
import { qk } from '../../api/keys';
import { deleteAccount } from '../../api/privacy';
import { ApiError } from '../../api/problem';
import { forgetChoice } from '../../lib/analytics';
import { ErrorAlert } from '../ErrorAlert';
import { PasswordField } from '../PasswordField';

/** Password re-entry, a last confirmation, then the account is gone and the user signed out. */
export function DeleteAccount() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [password, setPassword] = useState('');
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => deleteAccount(password),
    onSuccess: () => {
      // The server removed this browser's consent record with the account.
      forgetChoice();
      setCsrfToken(null);
      qc.setQueryData(qk.session, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      navigate('/login', { replace: true });
    },
    onError: () => setConfirming(false),
  });
  const apiErr = remove.error instanceof ApiError ? remove.error : null;
  const passwordErr = apiErr?.code === 'invalid_password' ? apiErr.detail : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password) setConfirming(true);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" maw={480}>
        <Text size="sm" fw={500} c="red.4">
          {t('privacy.settings.deleteTitle')}
        </Text>
        <Text size="sm" id="delete-help">
          {t('privacy.settings.deleteHelp')}
        </Text>
        {remove.error && !passwordErr ? <ErrorAlert error={remove.error} /> : null}
        <PasswordField
          label={t('privacy.settings.deletePassword')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={passwordErr}
          aria-describedby="delete-help"
        />
        <Group>
          <Button type="submit" color="red" variant="light" leftSection={<IconTrash size={18} aria-hidden />} disabled={!password}>
            {t('privacy.settings.deleteButton')}
          </Button>
        </Group>
      </Stack>
      <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('privacy.settings.deleteConfirmTitle')} centered>
        <Stack gap="md">
          <Text size="sm">{t('privacy.settings.deleteConfirmBody')}</Text>
          <Text size="sm" c="dimmed">
            {t('privacy.settings.deleteHelp')}
          </Text>
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={() => remove.mutate()} loading={remove.isPending} data-autofocus>
              {t('privacy.settings.deleteConfirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </form>
  );
}
