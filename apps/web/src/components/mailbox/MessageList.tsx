import { Badge, Group, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
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
                <Group gap={6} mt={4} wrap="nowrap" component="span">
                  <Badge size="xs" variant="outline" color="gray" tt="none" component="span">
                    {t(`mailbox.templates.${m.template}`, { defaultValue: m.template })}
                  </Badge>
                  <Text size="xs" c="dimmed" truncate component="span">
                    {m.to} · {formatRelative(m.created_at, i18n.language)}
                  </Text>
                </Group>
              }
              data-testid="mail-item"
            />
          </li>
        ))}
      </Stack>
    </ScrollArea.Autosize>
  );
}
