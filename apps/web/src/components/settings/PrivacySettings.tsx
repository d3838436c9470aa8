import { Divider, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ConsentControls } from '../privacy/ConsentControls';
import { DeleteAccount } from '../privacy/DeleteAccount';
import { ExportData } from '../privacy/ExportData';
import { PrivacyLog } from '../privacy/PrivacyLog';
import { SettingsSection } from './SettingsSection';

/** Settings → Privacy: consent, objection, export, deletion and the privacy log. */
export function PrivacySettings() {
  const { t } = useTranslation();
  return (
    <SettingsSection id="privacy" title={t('privacy.settings.title')} description={t('privacy.settings.description')}>
      <Stack gap="lg">
        <ConsentControls />
        <Divider />
        <ExportData />
        <Divider />
        <Stack gap="xs">
          <Text size="sm" fw={500}>
            {t('privacy.settings.logTitle')}
          </Text>
          <PrivacyLog />
        </Stack>
        <Divider />
        <DeleteAccount />
      </Stack>
    </SettingsSection>
  );
}
