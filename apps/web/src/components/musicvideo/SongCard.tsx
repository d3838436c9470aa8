import { ActionIcon, Group, Paper, Text, ThemeIcon, Tooltip } from '@mantine/core';
import { IconMusic, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatBytes, formatDuration } from '../../lib/format';
import { ItemProgress } from './ItemProgress';
import type { WizardItem } from './useWizardUploads';

/** The song of the video: its name, length and upload progress. */
export function SongCard({ song, onRemove, onRetry }: { song: WizardItem; onRemove: () => void; onRetry: () => void }) {
  const { t, i18n } = useTranslation();
  const duration = song.result?.duration_seconds;
  return (
    <Paper withBorder radius="md" p="sm" data-testid="mv-song" data-status={song.status}>
      <Group wrap="nowrap" gap="sm">
        <ThemeIcon size={40} radius="md" variant="light" aria-hidden>
          <IconMusic size={22} />
        </ThemeIcon>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Group justify="space-between" wrap="nowrap" gap="xs">
            <Text size="sm" fw={600} truncate title={song.name}>
              {song.name}
            </Text>
            <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
              {duration ? formatDuration(duration) : formatBytes(song.size, i18n.language)}
            </Text>
          </Group>
          <ItemProgress item={song} onRetry={onRetry} />
        </div>
        <Tooltip label={t('musicVideo.song.remove')}>
          <ActionIcon variant="subtle" color="gray" onClick={onRemove} aria-label={t('musicVideo.removeNamed', { name: song.name })}>
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
    </Paper>
  );
}
