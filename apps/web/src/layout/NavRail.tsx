import { AppShell, Badge, NavLink, ScrollArea, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useMatch } from 'react-router';
import { useApiKeys } from '../api/developer';
import { useMailbox } from '../api/mailbox';
import { CREATE_ITEMS, FOOT_ITEMS, MAIN_ITEMS, type NavItem } from './navItems';

function RailLink({ item, onNavigate }: { item: NavItem; onNavigate: () => void }) {
  const { t } = useTranslation();
  const isActive = !!useMatch({ path: item.to, end: item.end ?? false });
  const Icon = item.icon;
  return (
    <NavLink
      component={Link}
      to={item.to}
      onClick={onNavigate}
      label={t(item.labelKey)}
      leftSection={<Icon size={20} stroke={1.7} aria-hidden />}
      active={isActive}
      aria-current={isActive ? 'page' : undefined}
      variant="light"
      fw={500}
      style={{ borderRadius: 'var(--mantine-radius-md)' }}
      rightSection={
        item.devMailbox ? (
          <Badge size="xs" variant="outline" color="gray" aria-hidden>
            {t('nav.dev')}
          </Badge>
        ) : undefined
      }
    />
  );
}

function SectionLabel({ children }: { children: string }) {
  return (
    <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4} style={{ letterSpacing: '0.06em' }}>
      {children}
    </Text>
  );
}

/** The left rail: the same on every page; the Create section lists only features that exist. */
export function NavRail({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const mailbox = useMailbox();
  const apiKeys = useApiKeys();
  const foot = FOOT_ITEMS.filter((item) => (!item.devMailbox || !!mailbox.data) && (!item.developers || !!apiKeys.data));
  return (
    <>
      <AppShell.Section grow component={ScrollArea} px="sm" py="xs">
        <Stack gap={2}>
          {MAIN_ITEMS.slice(0, 1).map((item) => (
            <RailLink key={item.to} item={item} onNavigate={onNavigate} />
          ))}
          <SectionLabel>{t('nav.create')}</SectionLabel>
          {CREATE_ITEMS.map((item) => (
            <RailLink key={item.to} item={item} onNavigate={onNavigate} />
          ))}
          <SectionLabel>{t('nav.workspace')}</SectionLabel>
          {MAIN_ITEMS.slice(1).map((item) => (
            <RailLink key={item.to} item={item} onNavigate={onNavigate} />
          ))}
        </Stack>
      </AppShell.Section>
      <AppShell.Section px="sm" py="sm" style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}>
        <Stack gap={2}>
          {foot.map((item) => (
            <RailLink key={item.to} item={item} onNavigate={onNavigate} />
          ))}
        </Stack>
      </AppShell.Section>
    </>
  );
}
