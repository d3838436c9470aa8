import { Button, Group, Stack, Text, ThemeIcon, Title, VisuallyHidden } from '@mantine/core';
import { IconCloudUpload, IconMusic, IconPhoto, IconVideo } from '@tabler/icons-react';
import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import classes from './DropZone.module.css';

export const ACCEPT = 'audio/*,image/*,video/*,.flac,.m4a,.opus,.mov';

/** What the zone says; the upload wording unless a page says otherwise. */
export interface DropZoneText {
  title: string;
  /** While files are dragged over it. */
  dropNow: string;
  hint: string;
  choose: string;
  /** Captions for the audio, photo and video icons. */
  kinds: [string, string, string];
}

interface DropZoneProps {
  onFiles: (files: File[]) => void;
  /** lg: a page's main target; md: inside a panel; compact: a slim bar once something is in. */
  size?: 'lg' | 'md' | 'compact';
  text?: Partial<DropZoneText>;
  accept?: string;
  testId?: string;
  inputTestId?: string;
}

/** A big target for dragging files in, with a real button and file picker for keyboards and phones. */
export function DropZone({ onFiles, size = 'lg', text, accept = ACCEPT, testId = 'drop-zone', inputTestId = 'file-input' }: DropZoneProps) {
  const { t } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const hintId = useId();
  const compact = size === 'compact';
  const say: DropZoneText = {
    title: t('upload.dropTitle'),
    dropNow: t('upload.dropNow'),
    hint: t('upload.dropHint'),
    choose: t('upload.choose'),
    kinds: [t('kinds.audio'), t('kinds.image'), t('kinds.video')],
    ...text,
  };

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
      data-testid={testId}
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
      <Stack align="center" gap={size === 'lg' ? 'md' : size === 'md' ? 'sm' : 'xs'} style={{ pointerEvents: 'none' }}>
        {compact ? null : (
          <ThemeIcon size={size === 'lg' ? 72 : 52} radius="xl" variant="light" aria-hidden>
            <IconCloudUpload size={size === 'lg' ? 36 : 26} stroke={1.6} />
          </ThemeIcon>
        )}
        <Stack gap={4} align="center">
          <Title order={2} size={size === 'lg' ? 'h3' : size === 'md' ? 'h4' : 'h5'} ta="center">
            {over ? say.dropNow : say.title}
          </Title>
          <Text c="dimmed" size="sm" ta="center" id={hintId} maw={520}>
            {say.hint}
          </Text>
        </Stack>
        {compact ? null : (
          <Group gap="lg" c="dimmed" aria-hidden>
            {([IconMusic, IconPhoto, IconVideo] as const).map((Icon, i) => (
              <Group gap={6} key={i}>
                <Icon size={16} />
                <Text size="xs">{say.kinds[i]}</Text>
              </Group>
            ))}
          </Group>
        )}
        <Button
          size={size === 'lg' ? 'md' : 'sm'}
          variant={compact ? 'light' : 'filled'}
          leftSection={<IconCloudUpload size={18} aria-hidden />}
          onClick={() => input.current?.click()}
          aria-describedby={hintId}
          style={{ pointerEvents: 'auto' }}
        >
          {say.choose}
        </Button>
      </Stack>
      <VisuallyHidden>
        <input
          ref={input}
          type="file"
          multiple
          accept={accept}
          tabIndex={-1}
          aria-label={say.choose}
          data-testid={inputTestId}
          onChange={(e) => {
            take(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
        />
      </VisuallyHidden>
    </div>
  );
}
