import { Group, Text, ThemeIcon } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { jobTypeInfo } from '../../lib/jobTypes';

export function useJobTypeLabel(): (type: string) => string {
  const { t } = useTranslation();
  return (type) => {
    const info = jobTypeInfo(type);
    return info.labelKey ? t(info.labelKey) : type;
  };
}

export function JobTypeLabel({ type, sub }: { type: string; sub?: string }) {
  const label = useJobTypeLabel();
  const Icon = jobTypeInfo(type).icon;
  return (
    <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
      <ThemeIcon variant="light" radius="md" size={34} aria-hidden>
        <Icon size={18} />
      </ThemeIcon>
      <div style={{ minWidth: 0 }}>
        <Text size="sm" fw={600} truncate>
          {label(type)}
        </Text>
        {sub ? (
          <Text size="xs" c="dimmed" ff="monospace" truncate>
            {sub}
          </Text>
        ) : null}
      </div>
    </Group>
  );
}
