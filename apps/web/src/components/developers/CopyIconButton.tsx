import { ActionIcon, CopyButton, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

/** A small copy-to-clipboard button that confirms with a check mark. */
export function CopyIconButton({ value, label, size = 'md' }: { value: string; label: string; size?: 'sm' | 'md' | 'lg' }) {
  const { t } = useTranslation();
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('developers.copied') : label}>
          <ActionIcon
            variant={copied ? 'light' : 'subtle'}
            color={copied ? 'teal' : 'gray'}
            size={size}
            onClick={copy}
            aria-label={label}
            data-copied={copied || undefined}
          >
            {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}
