import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** "Live" or "Test" for an API key, request or delivery. */
export function KeyModeBadge({ livemode }: { livemode: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge size="sm" variant={livemode ? 'light' : 'outline'} color={livemode ? 'teal' : 'yellow'}>
      {livemode ? t('developers.live') : t('developers.test')}
    </Badge>
  );
}
