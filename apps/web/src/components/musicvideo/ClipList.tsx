import { ActionIcon, Group, Paper, Stack, Text, ThemeIcon } from '@mantine/core';
import { IconTrash, IconVideo } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatDuration } from '../../lib/format';
import { ItemProgress } from './ItemProgress';
import type { WizardItem } from './useWizardUploads';

/** Optional video clips: cut on the beat after the photos. */
export function ClipList({ clips, onRemove, onRetry }: { clips: WizardItem[]; onRemove: (key: string) => void; onRetry: (key: string) => void }) {
  const { t, i18n } = useTranslation();
  if (clips.length === 0) return null;
  return (
    <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} aria-label={t('musicVideo.clips.label')}>
      {clips.map((clip) => (
        <Paper component="li" key={clip.key} withBorder radius="md" p="xs" data-testid="mv-clip" data-status={clip.status}>
          <Group wrap="nowrap" gap="sm">
            <ThemeIcon size={32} radius="md" variant="light" color="grape" aria-hidden>
              <IconVideo size={18} />
            </ThemeIcon>
            <div style={{ flex: 1, minWidth: 0 }}>
              <Group justify="space-between" wrap="nowrap" gap="xs">
                <Text size="sm" truncate title={clip.name}>
                  {clip.name}
                </Text>
                <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
                  {clip.result?.duration_seconds ? formatDuration(clip.result.duration_seconds) : formatBytes(clip.size, i18n.language)}
                </Text>
              </Group>
              <ItemProgress item={clip} onRetry={() => onRetry(clip.key)} />
            </div>
            <ActionIcon variant="subtle" color="gray" onClick={() => onRemove(clip.key)} aria-label={t('musicVideo.removeNamed', { name: clip.name })}>
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        </Paper>
      ))}
    </Stack>
  );
}
