import { Avatar, Group, Menu, Text, UnstyledButton, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { IconChevronDown, IconLogout, IconMoon, IconSettings, IconSun } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { logout, useUser } from '../api/auth';
import { qk } from '../api/keys';
import { initials } from '../lib/initials';

export function AccountMenu() {
  const { t } = useTranslation();
  const user = useUser();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('dark');

  const signOut = async () => {
    try {
      await logout();
    } finally {
      qc.setQueryData(qk.session, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
      navigate('/login', { replace: true });
    }
  };

  return (
    <Menu position="bottom-end" width={240} shadow="lg">
      <Menu.Target>
        <UnstyledButton aria-label={t('account.menu')} style={{ borderRadius: 'var(--mantine-radius-xl)' }}>
          <Group gap={6} wrap="nowrap">
            <Avatar color="violet" radius="xl" size={34} variant="filled">
              {initials(user.name)}
            </Avatar>
            <IconChevronDown size={14} aria-hidden />
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>
          <Text size="sm" fw={600} c="bright" truncate>
            {user.name}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {user.email}
          </Text>
        </Menu.Label>
        <Menu.Divider />
        <Menu.Item component={Link} to="/settings" leftSection={<IconSettings size={16} aria-hidden />}>
          {t('nav.settings')}
        </Menu.Item>
        <Menu.Item
          leftSection={scheme === 'dark' ? <IconSun size={16} aria-hidden /> : <IconMoon size={16} aria-hidden />}
          onClick={() => setColorScheme(scheme === 'dark' ? 'light' : 'dark')}
        >
          {scheme === 'dark' ? t('settings.themeLight') : t('settings.themeDark')}
        </Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
          {t('account.signOut')}
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}
