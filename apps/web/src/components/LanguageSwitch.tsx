import { SegmentedControl, type MantineSize } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import type { Locale } from '../api/types';
import { useLanguage } from '../i18n/useLanguage';
import { errorMessage, errorTitle } from '../lib/errors';

/** English / Español toggle; saves the cookie and, when signed in, the account preference. */
export function LanguageSwitch({ size = 'sm', fullWidth }: { size?: MantineSize; fullWidth?: boolean }) {
  const { t } = useTranslation();
  const { language, setLanguage } = useLanguage();
  return (
    <SegmentedControl
      size={size}
      fullWidth={fullWidth}
      value={language}
      aria-label={t('settings.language')}
      onChange={(value) => {
        setLanguage(value as Locale).catch((err: unknown) =>
          notifications.show({ color: 'red', title: errorTitle(err, t), message: errorMessage(err, t) }),
        );
      }}
      data={[
        { value: 'en', label: 'English' },
        { value: 'es', label: 'Español' },
      ]}
    />
  );
}
