import { Stack } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { PageHeader } from '../components/PageHeader';
import { CreditsSection } from '../components/settings/CreditsSection';
import { EmailSection } from '../components/settings/EmailSection';
import { PasswordSection } from '../components/settings/PasswordSection';
import { PreferencesSection } from '../components/settings/PreferencesSection';
import { PrivacySettings } from '../components/settings/PrivacySettings';
import { ProfileSection } from '../components/settings/ProfileSection';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export function SettingsPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('settings.title'));
  const { hash } = useLocation();
  useEffect(() => {
    if (!hash) return;
    const el = document.getElementById(hash.slice(1));
    el?.scrollIntoView({ behavior: 'smooth', block: 'start' });
  }, [hash]);

  return (
    <Stack gap="lg">
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      <ProfileSection />
      <PreferencesSection />
      <EmailSection />
      <PasswordSection />
      <CreditsSection />
      <PrivacySettings />
    </Stack>
  );
}
