import { Button, Group, Stack, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { IconCloudUpload, IconMusic, IconPhoto, IconVideo } from '@tabler/icons-react';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './DropZone.module.css';

export const ACCEPT = 'audio/*,image/*,video/*,.flac,.m4a,.opus,.mov';

interface DropZoneProps {
  onFiles: (files: File[]) => void;
  size?: 'lg' | 'md';
}

/** A big target for dragging files in, with a real button and file picker for keyboards and phones. */
export function DropZone({ onFiles, size = 'lg' }: DropZoneProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const hintId = useId();

  const take = (list: FileList | null) => {
    const files = list ? Array.from(list) : [];
    if (files.length) onFiles(files);
  };
  const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer.types).includes('Files');

  return (
    <div
      className={classes.zone}
      data-over={over || undefined}
      data-size={size}
      data-testid="drop-zone"
      onClick={(e) => {
        if (e.target === e.currentTarget || !(e.target as HTMLElement).closest('button')) input.current?.click();
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
      <Stack align="center" gap={size === 'lg' ? 'md' : 'sm'} style={{ pointerEvents: 'none' }}>
        <ThemeIcon size={size === 'lg' ? 72 : 52} radius="xl" variant="light" aria-hidden>
          <IconCloudUpload size={size === 'lg' ? 36 : 26} stroke={1.6} />
        </ThemeIcon>
        <Stack gap={4} align="center">
          <Title order={2} size={size === 'lg' ? 'h3' : 'h4'} ta="center">
            {over ? t('upload.dropNow') : t('upload.dropTitle')}
          </Title>
          <Text c="dimmed" size="sm" ta="center" id={hintId}>
            {t('upload.dropHint')}
          </Text>
        </Stack>
        <Group gap="lg" c="dimmed" aria-hidden>
          <Group gap={6}>
            <IconMusic size={16} />
            <Text size="xs">{t('kinds.audio')}</Text>
          </Group>
          <Group gap={6}>
            <IconPhoto size={16} />
            <Text size="xs">{t('kinds.image')}</Text>
          </Group>
          <Group gap={6}>
            <IconVideo size={16} />
            <Text size="xs">{t('kinds.video')}</Text>
          </Group>
        </Group>
        <Button
          size={size === 'lg' ? 'md' : 'sm'}
          leftSection={<IconCloudUpload size={18} aria-hidden />}
          onClick={() => input.current?.click()}
          aria-describedby={hintId}
          style={{ pointerEvents: 'auto' }}
        >
          {t('upload.choose')}
        </Button>
      </Stack>
      <VisuallyHidden>
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          tabIndex={-1}
          aria-label={t('upload.choose')}
          data-testid="file-input"
          onChange={(e) => {
            take(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </VisuallyHidden>
    </div>
  );
}
