import { Modal } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CreatedApiKey } from '../../api/types';
import { CreateKeyForm } from './CreateKeyForm';
import { SecretReveal } from './SecretReveal';

/**
 * Create a key, then reveal its secrets once. Closing drops them from memory and the page:
 * only a hash is kept on the server, so they can never be shown again.
 */
export function CreateKeyModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Modal
      opened={opened}
      onClose={close}
      title={created ? t('developers.reveal.title') : t('developers.form.title')}
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? <SecretReveal created={created} onDone={close} /> : <CreateKeyForm onCreated={setCreated} onCancel={close} />}
    </Modal>
  );
}
