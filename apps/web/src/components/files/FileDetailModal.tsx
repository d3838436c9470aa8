import { Alert, Button, Group, Loader, Center, Modal, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeleteFile, useFile } from '../../api/files';
import { errorMessage, errorTitle } from '../../lib/errors';
import { ErrorAlert } from '../ErrorAlert';
import { FileMeta } from './FileMeta';
import { FilePlayer } from './FilePlayer';

/** Detail view of one file: player, facts, download and delete (with confirmation). */
export function FileDetailModal({ fileId, onClose }: { fileId: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = useMediaQuery('(max-width: 48em)');
  const file = useFile(fileId);
  const remove = useDeleteFile();
  const [confirming, setConfirming] = useState(false);

  const close = () => {
    setConfirming(false);
    onClose();
  };

  const doDelete = () => {
    if (!fileId) return;
    remove.mutate(fileId, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: t('file.deleted', { name: file.data?.filename ?? '' }) });
        close();
      },
      onError: (err) => notifications.show({ color: 'red', title: errorTitle(err, t), message: errorMessage(err, t) }),
    });
  };

  const data = file.data;
  return (
    <Modal
      opened={!!fileId}
      onClose={close}
      size="xl"
      fullScreen={!!phone}
      radius="lg"
      title={<Text fw={700} truncate>{data?.filename ?? t('common.loading')}</Text>}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {file.isPending ? (
        <Center h={240}>
          <Loader />
        </Center>
      ) : file.isError ? (
        <ErrorAlert error={file.error} />
      ) : data ? (
        <Stack gap="lg" data-testid="file-detail">
          <FilePlayer file={data} />
          <FileMeta file={data} />
          {confirming ? (
            <Alert color="red" variant="light" title={t('file.confirmDeleteTitle')} role="alertdialog">
              <Text size="sm" mb="sm">
                {t('file.confirmDeleteBody', { name: data.filename })}
              </Text>
              <Group gap="sm">
                <Button color="red" onClick={doDelete} loading={remove.isPending} leftSection={<IconTrash size={16} />}>
                  {t('file.deleteForever')}
                </Button>
                <Button variant="default" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </Button>
              </Group>
            </Alert>
          ) : (
            <Group justify="space-between">
              <Button
                component="a"
                href={data.content_url}
                download={data.filename}
                leftSection={<IconDownload size={16} />}
              >
                {t('file.download')}
              </Button>
              <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={() => setConfirming(true)}>
                {t('common.delete')}
              </Button>
            </Group>
          )}
        </Stack>
      ) : null}
    </Modal>
  );
}
