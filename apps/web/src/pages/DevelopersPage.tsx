import { Button, Skeleton, Stack, Tabs } from '@mantine/core';
import { IconBook, IconCode, IconKey, IconListDetails, IconRocket, IconWebhook } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useApiKeys } from '../api/developer';
import { ApiKeysPanel } from '../components/developers/ApiKeysPanel';
import { DeliveriesPanel } from '../components/developers/DeliveriesPanel';
import { QuickStartPanel } from '../components/developers/QuickStartPanel';
import { RequestLogPanel } from '../components/developers/RequestLogPanel';
import { EmptyBlock } from '../components/EmptyBlock';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

const TABS = ['keys', 'logs', 'webhooks', 'quickstart'] as const;
type Tab = (typeof TABS)[number];

/** API keys, request log, webhook deliveries and a quick start, one tab each. */
export function DevelopersPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('developers.title'));
  const keys = useApiKeys();
  const [params, setParams] = useSearchParams();
  const param = params.get('tab') as Tab | null;
  const tab: Tab = param && TABS.includes(param) ? param : 'keys';
  const select = (value: Tab) => setParams(value === 'keys' ? {} : { tab: value }, { replace: true });
  const showQuickStart = () => select('quickstart');

  const reference = (
    <Button component="a" href="/api/v1/docs" target="_blank" rel="noopener" variant="default" leftSection={<IconBook size={16} aria-hidden />}>
      {t('developers.quickStart.reference')}
    </Button>
  );
  const header = <PageHeader title={t('developers.title')} description={t('developers.description')} actions={reference} />;

  if (keys.isPending) return <Stack gap="lg">{header}<Skeleton h={240} radius="lg" /></Stack>;
  if (keys.isError) return <Stack gap="lg">{header}<ErrorAlert error={keys.error} onRetry={() => void keys.refetch()} /></Stack>;
  if (keys.data === null) {
    return (
      <Stack gap="lg">
        <PageHeader title={t('developers.title')} />
        <EmptyBlock
          icon={<IconCode size={28} />}
          title={t('developers.unavailableTitle')}
          description={t('developers.unavailableBody')}
          action={{ label: t('notFound.action'), to: '/' }}
        />
      </Stack>
    );
  }

  return (
    <Stack gap="lg">
      {header}
      <Tabs value={tab} onChange={(v) => select((v as Tab | null) ?? 'keys')} keepMounted={false}>
        <Tabs.List mb="lg" style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          <Tabs.Tab value="keys" leftSection={<IconKey size={16} aria-hidden />}>
            {t('developers.tabs.keys')}
          </Tabs.Tab>
          <Tabs.Tab value="logs" leftSection={<IconListDetails size={16} aria-hidden />}>
            {t('developers.tabs.logs')}
          </Tabs.Tab>
          <Tabs.Tab value="webhooks" leftSection={<IconWebhook size={16} aria-hidden />}>
            {t('developers.tabs.webhooks')}
          </Tabs.Tab>
          <Tabs.Tab value="quickstart" leftSection={<IconRocket size={16} aria-hidden />}>
            {t('developers.tabs.quickStart')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="keys">
          <ApiKeysPanel />
        </Tabs.Panel>
        <Tabs.Panel value="logs">
          <RequestLogPanel onShowQuickStart={showQuickStart} />
        </Tabs.Panel>
        <Tabs.Panel value="webhooks">
          <DeliveriesPanel onShowQuickStart={showQuickStart} />
        </Tabs.Panel>
        <Tabs.Panel value="quickstart">
          <QuickStartPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
