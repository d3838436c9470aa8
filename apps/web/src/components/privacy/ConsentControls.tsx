import { Button, Group, Stack, Switch, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useAccountConsent, useUpdateConsent } from '../../api/privacy';
import { rememberChoice } from '../../lib/analytics';
import { ErrorAlert } from '../ErrorAlert';

/** Analytics consent and the one-click objection to legitimate-interest processing. */
export function ConsentControls() {
  const { t } = useTranslation();
  const consent = useAccountConsent();
  const update = useUpdateConsent();
  const state = consent.data;

  const setAnalytics = (analytics: boolean) =>
    update.mutate({ analytics, source: 'settings' }, { onSuccess: () => rememberChoice(analytics) });
  const setObjection = (objection: boolean) => update.mutate({ objection, source: 'settings' });

  if (consent.error) return <ErrorAlert error={consent.error} onRetry={() => void consent.refetch()} />;
  return (
    <Stack gap="lg">
      {update.error ? <ErrorAlert error={update.error} /> : null}
      <Switch
        label={t('privacy.settings.analyticsLabel')}
        description={t('privacy.settings.analyticsHelp')}
        checked={state?.analytics === true}
        disabled={!state || update.isPending}
        onChange={(e) => setAnalytics(e.currentTarget.checked)}
      />
      <Stack gap={6}>
        <Text size="sm" fw={500} id="objection-label">
          {t('privacy.settings.objectionLabel')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('privacy.settings.objectionHelp')}
        </Text>
        <Group gap="sm">
          {state?.objection ? (
            <>
              <Text size="sm" c="teal" role="status">
                {t('privacy.settings.objectionOn')}
              </Text>
              <Button size="xs" variant="subtle" onClick={() => setObjection(false)} loading={update.isPending}>
                {t('privacy.settings.withdrawObjection')}
              </Button>
            </>
          ) : (
            <Button size="sm" variant="light" color="orange" aria-describedby="objection-label" onClick={() => setObjection(true)} loading={update.isPending} disabled={!state}>
              {t('privacy.settings.objectionButton')}
            </Button>
          )}
        </Group>
      </Stack>
    </Stack>
  );
}
