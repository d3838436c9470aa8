import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { SongDownload } from './songOutputs';

/** One row per output file, each a real download link (attachment). */
export function SongDownloads({ items }: { items: SongDownload[] }) {
  const { t } = useTranslation();
  const label = (d: SongDownload) =>
    d.labelKey === 'song.result.stem'
      ? t('song.result.stem', { name: t(`song.result.stems.${d.labelValues?.stem}`, { defaultValue: d.labelValues?.stem ?? '' }) })
      : t(d.labelKey);
  return (
    <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid="song-downloads">
      {items.map((d) => (
        <Group key={d.id} component="li" justify="space-between" wrap="nowrap" gap="sm">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Badge variant="light" tt="none" miw={64}>
              {t(`roles.${d.role}`, { defaultValue: d.role })}
            </Badge>
            <Text size="sm" truncate>
              {label(d)}
            </Text>
          </Group>
          <Anchor href={`/api/v1/files/${encodeURIComponent(d.id)}/content?download=1`} download={d.filename} size="sm" aria-label={t('song.result.download', { name: label(d) })} data-role={d.role}>
            <Group gap={4} component="span" wrap="nowrap">
              <IconDownload size={14} aria-hidden />
              <Text span size="sm" ff="monospace">
                {d.filename}
              </Text>
            </Group>
          </Anchor>
        </Group>
      ))}
    </Stack>
  );
}
