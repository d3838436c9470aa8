import { Box, Button, Group, Text, TextInput } from '@mantine/core';
import { IconWand } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useWriteLyrics } from '../../api/songs';
import { ErrorAlert } from '../ErrorAlert';

/** A theme field and "Write lyrics from the theme" (POST /lyrics); hands the text to the editor. */
export function ThemeLyricsWriter({
  theme,
  onThemeChange,
  genre,
  mood,
  onWritten,
}: {
  theme: string;
  onThemeChange: (theme: string) => void;
  genre: string;
  mood: string;
  onWritten: (text: string, provider: string) => void;
}) {
  const { t } = useTranslation();
  const write = useWriteLyrics();
  const run = () => {
    if (!theme.trim()) return;
    write.mutate({ theme: theme.trim(), genre, mood }, { onSuccess: (res) => onWritten(res.text, res.provider) });
  };
  return (
    <div>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label={t('song.themeLabel')}
          placeholder={t('song.themePlaceholder')}
          value={theme}
          onChange={(e) => onThemeChange(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              run();
            }
          }}
          maxLength={500}
          style={{ flex: '1 1 260px' }}
          data-testid="song-theme"
        />
        <Button variant="light" leftSection={<IconWand size={16} aria-hidden />} onClick={run} loading={write.isPending} disabled={!theme.trim()}>
          {t('song.writeLyrics')}
        </Button>
      </Group>
      {write.data ? (
        <Text size="xs" c="dimmed" mt={4} data-testid="lyrics-provider">
          {t('song.writtenBy', { provider: write.data.provider })}
        </Text>
      ) : null}
      {write.isError ? (
        <Box mt="sm">
          <ErrorAlert error={write.error} />
        </Box>
      ) : null}
    </div>
  );
}
