import { Badge, Box, Button, FileButton, Group, Stack, Text, Textarea } from '@mantine/core';
import { IconFileImport, IconX } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { detectLyricsFormat, formatLyricsTime, LYRICS_ACCEPT, MAX_LYRICS_FILE_BYTES, parseTimedLyrics } from './lyricsFormat';

/**
 * Optional captions: paste plain lyrics, or import an .lrc/.srt file; the format is detected from
 * the content, and timed lyrics are listed line by line with their start times.
 */
export function LyricsInput({ value, onChange }: { value: string; onChange: (text: string) => void }) {
  const { t } = useTranslation();
  const [importError, setImportError] = useState<string | null>(null);
  const format = value.trim() ? detectLyricsFormat(value) : null;
  const timed = useMemo(() => (format === 'lrc' || format === 'srt' ? parseTimedLyrics(value, format) : []), [value, format]);

  const importFile = async (file: File | null) => {
    setImportError(null);
    if (!file) return;
    if (file.size > MAX_LYRICS_FILE_BYTES) {
      setImportError(t('musicVideo.lyrics.tooLarge', { name: file.name }));
      return;
    }
    const text = await file.text();
    if (!text.trim()) {
      setImportError(t('musicVideo.lyrics.empty', { name: file.name }));
      return;
    }
    onChange(text.replace(/^\uFEFF/, ''));
  };

  return (
    <Stack gap="xs">
      <Textarea
        label={t('musicVideo.lyrics.label')}
        description={t('musicVideo.lyrics.description')}
        placeholder={t('musicVideo.lyrics.placeholder')}
        value={value}
        onChange={(e) => onChange(e.currentTarget.value)}
        autosize
        minRows={4}
        maxRows={12}
        error={importError}
        data-testid="mv-lyrics"
        styles={{ input: { fontFamily: format && format !== 'text' ? 'var(--mantine-font-family-monospace)' : undefined } }}
      />
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <FileButton onChange={(f) => void importFile(f)} accept={LYRICS_ACCEPT}>
            {(props) => (
              <Button {...props} variant="default" size="xs" leftSection={<IconFileImport size={14} aria-hidden />}>
                {t('musicVideo.lyrics.import')}
              </Button>
            )}
          </FileButton>
          {value ? (
            <Button variant="subtle" color="gray" size="xs" leftSection={<IconX size={14} aria-hidden />} onClick={() => onChange('')}>
              {t('musicVideo.lyrics.clear')}
            </Button>
          ) : null}
        </Group>
        {format ? (
          <Group gap={6} data-testid="mv-lyrics-format" data-format={format}>
            <Badge variant="light" color={format === 'text' ? 'gray' : 'teal'}>
              {t(`musicVideo.lyrics.formats.${format}`)}
            </Badge>
            <Text size="xs" c="dimmed">
              {format === 'text' ? t('musicVideo.lyrics.approximate') : timed.length ? t('musicVideo.lyrics.exact') : t('musicVideo.lyrics.noTimedLines')}
            </Text>
          </Group>
        ) : null}
      </Group>
      {timed.length ? (
        <Box
          component="ol"
          m={0}
          p="xs"
          mah={200}
          tabIndex={0}
          aria-label={t('musicVideo.lyrics.timedLines', { count: timed.length })}
          data-testid="mv-lyrics-lines"
          style={{ listStyle: 'none', overflowY: 'auto', borderRadius: 'var(--mantine-radius-sm)', background: 'var(--mantine-color-default-hover)' }}
        >
          {timed.map((line, i) => (
            <Group component="li" key={i} gap="sm" wrap="nowrap" align="baseline" data-testid="mv-lyrics-line" data-start={line.start.toFixed(2)}>
              <Text size="xs" c="dimmed" ff="monospace" style={{ flexShrink: 0 }}>
                {formatLyricsTime(line.start)}
                {line.end !== undefined ? `–${formatLyricsTime(line.end)}` : ''}
              </Text>
              <Text size="sm">{line.text}</Text>
            </Group>
          ))}
        </Box>
      ) : null}
    </Stack>
  );
}
