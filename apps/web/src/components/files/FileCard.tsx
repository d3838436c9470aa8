import { AspectRatio, Badge, Box, Card, Group, Text, UnstyledButton } from '@mantine/core';
import { IconPlayerPlayFilled } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { FileObject } from '../../api/types';
import { formatBytes, formatDuration, formatRelative } from '../../lib/format';
import { FileThumb } from './FileThumb';
import { KindIcon } from './KindIcon';
import classes from './FileCard.module.css';

/** A library tile: visual, kind, duration, name and size; opens the detail view. */
export function FileCard({ file, onOpen }: { file: FileObject; onOpen: (file: FileObject) => void }) {
  const { t, i18n } = useTranslation();
  const duration = file.duration_seconds;
  return (
    <Card
      padding={0}
      radius="lg"
      className={classes.card}
      data-testid="file-card"
      data-kind={file.kind}
      data-status={file.status}
    >
      <UnstyledButton
        onClick={() => onOpen(file)}
        className={classes.button}
        aria-label={t('library.openFile', { name: file.filename })}
      >
        <AspectRatio ratio={16 / 10}>
          <Box className={classes.media}>
            <FileThumb file={file} />
            <Badge
              className={classes.kind}
              size="sm"
              variant="filled"
              color="dark"
              leftSection={<KindIcon kind={file.kind} size={12} />}
            >
              {t(`kinds.${file.kind}`)}
            </Badge>
            {duration !== null && file.kind !== 'image' ? (
              <Badge className={classes.duration} size="sm" variant="filled" color="dark" data-testid="duration-badge">
                {formatDuration(duration)}
              </Badge>
            ) : null}
            {file.kind === 'video' && file.status === 'ready' ? (
              <span className={classes.play} aria-hidden>
                <IconPlayerPlayFilled size={18} />
              </span>
            ) : null}
          </Box>
        </AspectRatio>
        <Box p="sm">
          <Text size="sm" fw={600} truncate title={file.filename}>
            {file.filename}
          </Text>
          <Group gap={6} mt={2} wrap="nowrap">
            <Text size="xs" c="dimmed" truncate>
              {formatBytes(file.size_bytes, i18n.language)}
              {file.width && file.height ? ` · ${file.width}×${file.height}` : ''}
              {' · '}
              {formatRelative(file.created_at, i18n.language)}
            </Text>
          </Group>
        </Box>
      </UnstyledButton>
    </Card>
  );
}
