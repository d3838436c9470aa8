import { Button, Tooltip } from '@mantine/core';
import { IconBolt } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCredits } from '../api/account';
import { useUser } from '../api/auth';
import { formatNumber } from '../lib/format';

/** Top-right credits balance; opens the credits section of Settings. */
export function CreditsBadge() {
  const { t, i18n } = useTranslation();
  const user = useUser();
  const credits = useCredits();
  const balance = credits.data?.balance ?? user.credits_balance;
  const label = t('credits.badge', { count: balance, formatted: formatNumber(balance, i18n.language) });
  return (
    <Tooltip label={t('credits.tooltip')}>
      <Button
        component={Link}
        to="/settings#credits"
        variant="light"
        radius="xl"
        size="compact-md"
        leftSection={<IconBolt size={16} aria-hidden />}
        aria-label={label}
        data-testid="credits-badge"
      >
        {formatNumber(balance, i18n.language)}
      </Button>
    </Tooltip>
  );
}
