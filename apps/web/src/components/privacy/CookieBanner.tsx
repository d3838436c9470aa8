import { Anchor, Button, Group, Paper, Portal, Stack, Text, Title } from '@mantine/core';
import { IconCookie } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { chooseAnalytics, onChoiceChange, readChoice, syncSignedInConsent, type ConsentChoice } from '../../lib/analytics';
import { AnalyticsTracker } from './AnalyticsTracker';

/**
 * Asks once for analytics consent (first-party only); until the visitor answers, nothing analytic
 * happens. Signed in, the account's stored choice is used first, so the banner does not ask again
 * on a new device when the choice was already made.
 */
export function CookieBanner({ signedIn }: { signedIn: boolean }) {
  const { t } = useTranslation();
  const [choice, setChoice] = useState<ConsentChoice | null>(() => readChoice());
  const [ready, setReady] = useState(!signedIn);
  const [saving, setSaving] = useState(false);

  useEffect(() => onChoiceChange(setChoice), []);
  useEffect(() => {
    if (!signedIn) return;
    let live = true;
    void syncSignedInConsent().finally(() => {
      if (!live) return;
      setChoice(readChoice());
      setReady(true);
    });
    return () => {
      live = false;
    };
  }, [signedIn]);

  const answer = async (analytics: boolean) => {
    setSaving(true);
    try {
      await chooseAnalytics(analytics, { signedIn, source: 'banner' });
    } catch {
      // Saved in this browser already; the server copy is retried with the next choice.
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <AnalyticsTracker />
      {ready && !choice ? (
        <Portal>
          <Paper
            role="region"
            aria-label={t('privacy.banner.label')}
            data-testid="cookie-banner"
            shadow="xl"
            radius="lg"
            p="lg"
            withBorder
            style={{ position: 'fixed', zIndex: 150, left: 16, right: 16, bottom: 16, maxWidth: 560, marginInline: 'auto' }}
          >
            <Stack gap="sm">
              <Group gap="xs">
                <IconCookie size={20} aria-hidden />
                <Title order={2} size="h5">
                  {t('privacy.banner.title')}
                </Title>
              </Group>
              <Text size="sm">{t('privacy.banner.body')}</Text>
              <Group justify="space-between" gap="sm">
                <Anchor component={Link} to="/privacy" size="sm">
                  {t('privacy.banner.more')}
                </Anchor>
                <Group gap="xs">
                  <Button variant="default" onClick={() => void answer(false)} disabled={saving}>
                    {t('privacy.banner.reject')}
                  </Button>
                  <Button onClick={() => void answer(true)} loading={saving}>
                    {t('privacy.banner.accept')}
                  </Button>
                </Group>
              </Group>
            </Stack>
          </Paper>
        </Portal>
      ) : null}
    </>
  );
}
