import { Badge, Box, Divider, Group, List, Paper, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { IconLink } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MailMessage } from '../../api/types';
import { formatDateTime } from '../../lib/format';
import { extractLinks, normalizeHref, splitText } from './links';
import { MailLinkAnchor } from './MailLinkAnchor';

/** One message: headers, its links (clickable), and the HTML (sandboxed) or text body. */
export function MessageView({ message }: { message: MailMessage }) {
  const { t, i18n } = useTranslation();
  const links = useMemo(() => extractLinks(message), [message]);
  const [mode, setMode] = useState<'html' | 'text'>(message.html ? 'html' : 'text');
  const view = message.html ? mode : 'text';

  return (
    <Paper p={{ base: 'md', sm: 'lg' }} radius="lg" data-testid="mail-view">
      <Stack gap="xs">
        <Group gap="sm" justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={2} size="h4">
            {message.subject}
          </Title>
          <Badge variant="light" color="gray" tt="none" style={{ flexShrink: 0 }}>
            {t(`mailbox.templates.${message.template}`, { defaultValue: message.template })}
          </Badge>
        </Group>
        <Text size="sm" c="dimmed">
          {t('mailbox.to', { to: message.to })} · {formatDateTime(message.created_at, i18n.language)}
        </Text>
      </Stack>
      {links.length > 0 ? (
        <Box mt="md">
          <Text size="xs" fw={700} tt="uppercase" c="dimmed" mb={6} style={{ letterSpacing: '0.04em' }}>
            {t('mailbox.links')}
          </Text>
          <List spacing={4} size="sm" icon={<IconLink size={14} aria-hidden />} center>
            {links.map((link) => (
              <List.Item key={link.href}>
                <MailLinkAnchor link={link} size="sm" style={{ wordBreak: 'break-all' }}>
                  {link.label}
                </MailLinkAnchor>
              </List.Item>
            ))}
          </List>
        </Box>
      ) : null}
      <Divider my="md" />
      {message.html ? (
        <Group justify="flex-end" mb="sm">
          <SegmentedControl
            size="xs"
            value={view}
            onChange={(v) => setMode(v as 'html' | 'text')}
            aria-label={t('mailbox.format')}
            data={[
              { value: 'html', label: t('mailbox.html') },
              { value: 'text', label: t('mailbox.text') },
            ]}
          />
        </Group>
      ) : null}
      {view === 'html' && message.html ? (
        <iframe
          title={t('mailbox.htmlTitle', { subject: message.subject })}
          sandbox=""
          srcDoc={message.html}
          style={{ width: '100%', height: 520, border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)', background: '#fff', colorScheme: 'light' }}
        />
      ) : (
        <Text component="pre" size="sm" ff="monospace" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', margin: 0 }}>
          {splitText(message.text).map((part, i) => {
            if (!part.url) return <span key={i}>{part.text}</span>;
            const href = normalizeHref(part.text);
            const link = links.find((l) => l.href === href);
            return link ? (
              <MailLinkAnchor key={i} link={link} size="sm" ff="monospace">
                {part.text}
              </MailLinkAnchor>
            ) : (
              <span key={i}>{part.text}</span>
            );
          })}
        </Text>
      )}
    </Paper>
  );
}
