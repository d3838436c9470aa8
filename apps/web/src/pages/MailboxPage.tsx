import { ActionIcon, Button, Grid, Skeleton, Stack, Tooltip } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { IconArrowLeft, IconInbox, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMailbox } from '../api/mailbox';
import { EmptyBlock } from '../components/EmptyBlock';
import { ErrorAlert } from '../components/ErrorAlert';
import { MessageList } from '../components/mailbox/MessageList';
import { MessageView } from '../components/mailbox/MessageView';
import { PageHeader } from '../components/PageHeader';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

/** Development mailbox: the emails the server would have sent. */
export function MailboxPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('mailbox.title'));
  const mailbox = useMailbox({ poll: true });
  const wide = useMediaQuery('(min-width: 62em)', true);
  const messages = mailbox.data?.data ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const selected = messages.find((m) => m.id === selectedId) ?? null;

  useEffect(() => {
    if (wide && !selectedId && messages[0]) setSelectedId(messages[0].id);
  }, [wide, selectedId, messages]);

  const refresh = (
    <Tooltip label={t('mailbox.refresh')}>
      <ActionIcon variant="default" size="lg" onClick={() => void mailbox.refetch()} loading={mailbox.isFetching} aria-label={t('mailbox.refresh')}>
        <IconRefresh size={18} />
      </ActionIcon>
    </Tooltip>
  );

  let body;
  if (mailbox.isPending) body = <Skeleton h={320} radius="lg" />;
  else if (mailbox.isError) body = <ErrorAlert error={mailbox.error} onRetry={() => void mailbox.refetch()} />;
  else if (mailbox.data === null) {
    body = <EmptyBlock icon={<IconInbox size={28} />} title={t('mailbox.disabledTitle')} description={t('mailbox.disabledBody')} />;
  } else if (messages.length === 0) {
    body = (
      <EmptyBlock
        icon={<IconInbox size={28} />}
        title={t('mailbox.emptyTitle')}
        description={t('mailbox.emptyBody')}
        action={{ label: t('mailbox.refresh'), onClick: () => void mailbox.refetch(), icon: <IconRefresh size={16} /> }}
      />
    );
  } else if (!wide && selected) {
    body = (
      <Stack gap="sm">
        <Button variant="subtle" leftSection={<IconArrowLeft size={16} />} onClick={() => setSelectedId(null)} style={{ alignSelf: 'flex-start' }}>
          {t('mailbox.back')}
        </Button>
        <MessageView message={selected} />
      </Stack>
    );
  } else {
    body = (
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <MessageList messages={messages} selectedId={selectedId} onSelect={setSelectedId} />
        </Grid.Col>
        {wide ? <Grid.Col span={{ base: 12, md: 8 }}>{selected ? <MessageView message={selected} /> : null}</Grid.Col> : null}
      </Grid>
    );
  }

  return (
    <Stack gap="lg">
      <PageHeader title={t('mailbox.title')} description={t('mailbox.description')} actions={refresh} />
      {body}
    </Stack>
  );
}
