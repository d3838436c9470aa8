import { Button, Group, Stack, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { IconCloudUpload, IconMusic, IconPhoto, IconVideo } from '@tabler/icons-react';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './MediaDropZone.module.css';

const ACCEPT = 'audio/*,image/*,video/*,.flac,.m4a,.opus,.mov,.heic,.heif';

/**
 * The wizard's drop target for the song, photos and clips: big while empty (the empty state),
 * compact once something is in. A real button opens the file picker for keyboards and phones.
 */
export function MediaDropZone({ onFiles, compact }: { onFiles: (files: File[]) => void; compact: boolean }) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const hintId = useId();
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');
  const take = (list: FileList | null) => {
    const files = list ? Array.from(list) : [];
    if (files.length) onFiles(files);
  };

  return (
    <div
      className={classes.zone}
      data-over={over || undefined}
      data-compact={compact || undefined}
      data-testid="mv-drop-zone"
      onClick={(e) => {
        if (!(e.target as HTMLElement).closest('button')) input.current?.click();
      }}
      onDragEnter={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!hasFiles(e)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        take(e.dataTransfer.files);
      }}
    >
      <Stack align="center" gap={compact ? 'xs' : 'md'}>
        {compact ? null : (
          <ThemeIcon size={72} radius="xl" variant="light" aria-hidden>
            <IconCloudUpload size={36} stroke={1.6} />
          </ThemeIcon>
        )}
        <Stack gap={4} align="center">
          <Title order={2} size={compact ? 'h5' : 'h3'} ta="center">
            {over ? t('musicVideo.drop.now') : compact ? t('musicVideo.drop.more') : t('musicVideo.drop.title')}
          </Title>
          <Text c="dimmed" size="sm" ta="center" id={hintId} maw={520}>
            {t('musicVideo.drop.hint')}
          </Text>
        </Stack>
        {compact ? null : (
          <Group gap="lg" c="dimmed" aria-hidden>
            <Group gap={6}>
              <IconMusic size={16} />
              <Text size="xs">{t('musicVideo.drop.oneSong')}</Text>
            </Group>
            <Group gap={6}>
              <IconPhoto size={16} />
              <Text size="xs">{t('musicVideo.drop.photos')}</Text>
            </Group>
            <Group gap={6}>
              <IconVideo size={16} />
              <Text size="xs">{t('musicVideo.drop.clips')}</Text>
            </Group>
          </Group>
        )}
        <Button
          size={compact ? 'sm' : 'md'}
          variant={compact ? 'light' : 'filled'}
          leftSection={<IconCloudUpload size={18} aria-hidden />}
          onClick={() => input.current?.click()}
          aria-describedby={hintId}
        >
          {t('musicVideo.drop.choose')}
        </Button>
      </Stack>
      <VisuallyHidden>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          tabIndex={-1}
          aria-label={t('musicVideo.drop.choose')}
          data-testid="mv-file-input"
          onChange={(e) => {
            take(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </VisuallyHidden>
    </div>
  );
}
