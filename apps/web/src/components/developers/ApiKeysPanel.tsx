import { Button, Group, Skeleton, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useApiKeys } from '../../api/developer';
import { EmptyBlock } from '../EmptyBlock';
import { ErrorAlert } from '../ErrorAlert';
import { ApiKeyItem } from './ApiKeyItem';
import { CreateKeyModal } from './CreateKeyModal';

/** The account's API keys, newest first, with "Create key". */
export function ApiKeysPanel() {
  const { t } = useTranslation();
  const keys = useApiKeys();
  const [createOpened, createModal] = useDisclosure(false);
  const list = keys.data?.data ?? [];
  const active = list.filter((k) => !k.revoked_at).length;

  let body;
  if (keys.isPending) body = <Skeleton h={180} radius="lg" />;
  else if (keys.isError) body = <ErrorAlert error={keys.error} onRetry={() => void keys.refetch()} />;
  else if (list.length === 0) {
    body = (
      <EmptyBlock
        icon={<IconKey size={28} />}
        title={t('developers.keys.emptyTitle')}
        description={t('developers.keys.emptyBody')}
        action={{ label: t('developers.keys.create'), onClick: createModal.open, icon: <IconPlus size={16} /> }}
        testId="empty-api-keys"
      />
    );
  } else {
    body = (
      <Stack gap="sm">
        {list.map((key) => (
          <ApiKeyItem key={key.id} apiKey={key} />
        ))}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Text size="sm" c="dimmed">
          {keys.isSuccess && list.length > 0 ? t('developers.keys.count', { count: active }) : t('developers.keys.intro')}
        </Text>
        {list.length > 0 ? (
          <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={createModal.open}>
            {t('developers.keys.create')}
          </Button>
        ) : null}
      </Group>
      {body}
      <CreateKeyModal opened={createOpened} onClose={createModal.close} />
    </Stack>
  );
}
