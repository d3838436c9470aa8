import { SegmentedControl, Stack, Text, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { IconMoon, IconSun } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../LanguageSwitch';
import { SettingsSection } from './SettingsSection';

export function PreferencesSection() {
  const { t } = useTranslation();
  const { setColorScheme } = useMantineColorScheme();
  const scheme = useComputedColorScheme('dark');
  return (
    <SettingsSection id="preferences" title={t('settings.preferences')} description={t('settings.preferencesHelp')}>
      <Stack gap="lg" maw={480}>
        <Stack gap={6}>
          <Text size="sm" fw={500} id="language-label">
            {t('settings.language')}
          </Text>
          <LanguageSwitch />
        </Stack>
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            {t('settings.theme')}
          </Text>
          <SegmentedControl
            value={scheme}
            onChange={(v) => setColorScheme(v as 'dark' | 'light')}
            aria-label={t('settings.theme')}
            data-testid="theme-toggle"
            data={[
              { value: 'dark', label: <Label icon={<IconMoon size={14} aria-hidden />} text={t('settings.themeDark')} /> },
              { value: 'light', label: <Label icon={<IconSun size={14} aria-hidden />} text={t('settings.themeLight')} /> },
            ]}
          />
        </Stack>
      </Stack>
    </SettingsSection>
  );
}

function Label({ icon, text }: { icon: React.ReactNode; text: string }) {
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
      {icon}
      {text}
    </span>
  );
}
