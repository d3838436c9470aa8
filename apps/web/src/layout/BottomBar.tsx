import { Group, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useMatch } from 'react-router';
import { BOTTOM_ITEMS, type NavItem } from './navItems';

function BottomLink({ item }: { item: NavItem }) {
  const { t } = useTranslation();
  const active = !!useMatch({ path: item.to, end: item.end ?? false });
  const Icon = item.icon;
  return (
    <UnstyledButton
      component={Link}
      to={item.to}
      aria-current={active ? 'page' : undefined}
      c={active ? 'light-dark(var(--mantine-color-violet-8), var(--mantine-color-violet-3))' : 'dimmed'}
      style={{ flex: 1, textAlign: 'center', borderRadius: 'var(--mantine-radius-md)' }}
      py={6}
    >
      <Icon size={22} stroke={1.7} aria-hidden style={{ display: 'block', margin: '0 auto' }} />
      <Text size="xs" fw={active ? 700 : 500} mt={2} inherit={false} c="inherit" lh={1.2}>
        {t(item.labelKey)}
      </Text>
    </UnstyledButton>
  );
}

/** Phone navigation: thumb-reachable tabs for the main destinations. */
export function BottomBar() {
  const { t } = useTranslation();
  return (
    <Group component="nav" aria-label={t('nav.bottomLabel')} h="100%" gap={0} px={4} wrap="nowrap">
      {BOTTOM_ITEMS.map((item) => (
        <BottomLink key={item.to} item={item} />
      ))}
    </Group>
  );
}
