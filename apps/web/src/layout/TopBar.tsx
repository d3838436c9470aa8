import { Burger, Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Brand } from '../components/Brand';
import { AccountMenu } from './AccountMenu';
import { CreditsBadge } from './CreditsBadge';

export function TopBar({ navOpened, onToggleNav }: { navOpened: boolean; onToggleNav: () => void }) {
  const { t } = useTranslation();
  return (
    <Group h="100%" px={{ base: 'sm', sm: 'lg' }} justify="space-between" wrap="nowrap">
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <Group gap="sm" wrap="nowrap">
        <Burger
          opened={navOpened}
          onClick={onToggleNav}
          hiddenFrom="sm"
          size="sm"
          aria-label={navOpened ? t('nav.closeMenu') : t('nav.openMenu')}
          aria-expanded={navOpened}
        />
        <Link to="/" aria-label={t('nav.homeLink')} style={{ color: 'inherit', textDecoration: 'none' }}>
          <Brand size="sm" />
        </Link>
      </Group>
      <Group gap="sm" wrap="nowrap">
        <CreditsBadge />
        <AccountMenu />
      </Group>
    </Group>
  );
}
