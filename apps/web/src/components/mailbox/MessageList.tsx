import { NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { MailMessage } from '../../api/types';
import { formatRelative } from '../../lib/format';

export function MessageList({ messages, selectedId, onSelect }: { messages: MailMessage[]; selectedId: string | null; onSelect: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  return (
    <ScrollArea.Autosize mah="70vh" type="auto">
      <Stack gap={4} component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('mailbox.listLabel')} data-testid="mail-list">
        {messages.map((m) => (
          <li key={m.id}>
            <NavLink
              active={m.id === selectedId}
              onClick={() => onSelect(m.id)}
              aria-current={m.id === selectedId ? 'true' : undefined}
              variant="light"
              style={{ borderRadius: 'var(--mantine-radius-md)' }}
              label={
                <Text size="sm" fw={600} lineClamp={2}>
                  {m.subject}
                </Text>
              }
              description={
                <Text size="xs" c="dimmed" truncate component="span" display="block" mt={2}>
                  {m.to} · {formatRelative(m.created_at, i18n.language)}
                </Text>
              }
              data-testid="mail-item"
            />
          </li>
        ))}
      </Stack>
    </ScrollArea.Autosize>
  );
}
