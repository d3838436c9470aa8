import { Box, Button, Grid, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconMusic } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCreateSong, useSongOptions, type CreateSongInput } from '../../api/songs';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { ChoiceCards } from '../../components/song/ChoiceCards';
import { LyricsEditor } from '../../components/song/LyricsEditor';
import { SongOptionsPanel, type SongSettings } from '../../components/song/SongOptionsPanel';
import { ThemeLyricsWriter } from '../../components/song/ThemeLyricsWriter';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

/** Create → Song: lyrics (or a theme), genre, mood and options → a `song` job. */
export function SongStudioPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('song.title'));
  const navigate = useNavigate();
  const options = useSongOptions();
  const create = useCreateSong();
  const [lyrics, setLyrics] = useState('');
  const [theme, setTheme] = useState('');
  const [genre, setGenre] = useState('pop');
  const [mood, setMood] = useState('happy');
  const [settings, setSettings] = useState<SongSettings>({ durationSeconds: 60, tempoBpm: '', key: null, vocals: 'sung', seed: '', title: '' });

  if (options.isPending) return <Skeleton h={480} radius="lg" />;
  if (options.isError) return <ErrorAlert error={options.error} onRetry={() => void options.refetch()} />;
  const o = options.data;
  const defaultTempo = o.genres.find((g) => g.id === genre)?.default_tempo_bpm;

  const submit = () => {
    const body: CreateSongInput = {
      genre,
      mood,
      duration_seconds: settings.durationSeconds,
      vocals: settings.vocals,
      ...(lyrics.trim() ? { lyrics } : {}),
      ...(theme.trim() ? { theme: theme.trim() } : {}),
      ...(settings.tempoBpm !== '' ? { tempo_bpm: settings.tempoBpm } : {}),
      ...(settings.key ? { key: settings.key } : {}),
      ...(settings.seed !== '' ? { seed: settings.seed } : {}),
      ...(settings.title.trim() ? { title: settings.title.trim() } : {}),
    };
    create.mutate(body, { onSuccess: (job) => navigate(`/jobs/${job.id}`) });
  };

  return (
    <Stack gap="xl">
      <PageHeader title={t('song.title')} description={t('song.description')} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Paper p="lg" radius="lg" component="section" aria-labelledby="lyrics-title">
            <Title order={2} size="h4" mb="md" id="lyrics-title">
              {t('song.lyricsTitle')}
            </Title>
            <Stack gap="md">
              <ThemeLyricsWriter theme={theme} onThemeChange={setTheme} genre={genre} mood={mood} onWritten={(text) => setLyrics(text)} />
              <LyricsEditor value={lyrics} onChange={setLyrics} />
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Stack gap="lg">
            <Paper p="lg" radius="lg">
              <ChoiceCards
                label={t('song.genreTitle')}
                value={genre}
                onChange={setGenre}
                testId="genre-picker"
                choices={o.genres.map((g) => ({ value: g.id, label: t(`song.genres.${g.id}`, { defaultValue: g.id }), hint: t('song.bpm', { bpm: g.default_tempo_bpm }) }))}
              />
            </Paper>
            <Paper p="lg" radius="lg">
              <ChoiceCards
                label={t('song.moodTitle')}
                value={mood}
                onChange={setMood}
                testId="mood-picker"
                choices={o.moods.map((m) => ({ value: m.id, label: t(`song.moods.${m.id}`, { defaultValue: m.id }) }))}
              />
            </Paper>
            <Paper p="lg" radius="lg" component="section" aria-labelledby="options-title">
              <Title order={2} size="h5" mb="md" id="options-title">
                {t('song.optionsTitle')}
              </Title>
              <SongOptionsPanel
                value={settings}
                onChange={(patch) => setSettings((s) => ({ ...s, ...patch }))}
                limits={{ minSeconds: o.duration_seconds.min, maxSeconds: o.duration_seconds.max, minBpm: o.tempo_bpm.min, maxBpm: o.tempo_bpm.max }}
                defaultTempo={defaultTempo}
              />
            </Paper>
            {create.isError ? <ErrorAlert error={create.error} /> : null}
            <Box>
              <Group justify="space-between" align="center" wrap="wrap" gap="sm">
                <Text size="xs" c="dimmed">
                  {t('song.providerNote', { provider: o.provider })}
                </Text>
                <Button size="lg" leftSection={<IconMusic size={18} aria-hidden />} onClick={submit} loading={create.isPending}>
                  {t('song.create')}
                </Button>
              </Group>
            </Box>
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
