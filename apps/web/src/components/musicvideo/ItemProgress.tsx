import { Anchor, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/errors';
import { formatPercent } from '../../lib/format';
import type { WizardItem } from './useWizardUploads';

/** An item's upload: a labelled progress bar while it travels, the reason (and a retry) if it failed. */
export function ItemProgress({ item, onRetry, compact }: { item: WizardItem; onRetry: () => void; compact?: boolean }) {
  const { t, i18n } = useTranslation();
  if (item.status === 'done') return null;
  if (item.status === 'error') {
    return (
      <Text size="xs" c="red" role="alert" lineClamp={compact ? 2 : 3}>
        {errorMessage(item.error, t)}{' '}
        <Anchor component="button" type="button" size="xs" onClick={onRetry} aria-label={t('musicVideo.upload.retryNamed', { name: item.name })}>
          {t('common.retry')}
        </Anchor>
      </Text>
    );
  }
  const label =
    item.status === 'queued'
      ? t('musicVideo.upload.waiting')
      : item.progress >= 1
        ? t('musicVideo.upload.checking')
        : formatPercent(item.progress, i18n.language);
  return (
    <div>
      <Progress
        value={item.progress * 100}
        size="sm"
        radius="xl"
        striped
        animated
        aria-label={t('musicVideo.upload.progressLabel', { name: item.name })}
        transitionDuration={200}
      />
      {compact ? null : (
        <Text size="xs" c="dimmed" mt={4}>
          {label}
        </Text>
      )}
    </div>
  );
}
