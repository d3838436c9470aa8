import { Group, NumberInput, SegmentedControl, Select, SimpleGrid, Slider, Stack, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { VocalStyle } from '../../api/songs';

export interface SongSettings {
  durationSeconds: number;
  tempoBpm: number | '';
  key: string | null;
  vocals: VocalStyle;
  seed: number | '';
  title: string;
}

const KEYS = ['C', 'G', 'D', 'A', 'E', 'F', 'Bb', 'Eb', 'A minor', 'E minor', 'D minor', 'B minor', 'F# minor', 'C minor', 'G minor'];

/** Duration, tempo, key, vocals, seed and title. */
export function SongOptionsPanel({
  value,
  onChange,
  limits,
  defaultTempo,
}: {
  value: SongSettings;
  onChange: (patch: Partial<SongSettings>) => void;
  limits: { minSeconds: number; maxSeconds: number; minBpm: number; maxBpm: number };
  defaultTempo: number | undefined;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <div>
        <Group justify="space-between" mb={4}>
          <Text component="label" id="song-duration-label" fw={500} size="sm">
            {t('song.durationLabel')}
          </Text>
          <Text size="sm" c="dimmed" ff="monospace" data-testid="song-duration-value">
            {t('song.durationValue', { value: value.durationSeconds })}
          </Text>
        </Group>
        <Slider
          min={limits.minSeconds}
          max={limits.maxSeconds}
          step={5}
          value={value.durationSeconds}
          onChange={(v) => onChange({ durationSeconds: v })}
          label={(v) => t('song.durationValue', { value: v })}
          thumbProps={{ 'aria-labelledby': 'song-duration-label' }}
          data-testid="song-duration"
        />
      </div>
      <Stack gap={4}>
        <Text fw={500} size="sm" id="song-vocals-label">
          {t('song.vocalsLabel')}
        </Text>
        <SegmentedControl
          aria-labelledby="song-vocals-label"
          value={value.vocals}
          onChange={(v) => onChange({ vocals: v as VocalStyle })}
          data={(['sung', 'spoken', 'none'] as const).map((v) => ({ value: v, label: t(`song.vocals.${v}`) }))}
          fullWidth
        />
      </Stack>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
        <NumberInput
          label={t('song.tempoLabel')}
          placeholder={defaultTempo ? t('song.tempoPlaceholder', { bpm: defaultTempo }) : undefined}
          min={limits.minBpm}
          max={limits.maxBpm}
          allowDecimal={false}
          value={value.tempoBpm}
          onChange={(v) => onChange({ tempoBpm: typeof v === 'number' ? v : '' })}
        />
        <Select
          label={t('song.keyLabel')}
          placeholder={t('song.keyPlaceholder')}
          data={KEYS}
          value={value.key}
          onChange={(v) => onChange({ key: v })}
          clearable
          searchable
        />
        <NumberInput
          label={t('song.seedLabel')}
          placeholder={t('song.seedPlaceholder')}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          value={value.seed}
          onChange={(v) => onChange({ seed: typeof v === 'number' ? v : '' })}
        />
        <TextInput
          label={t('song.titleLabel')}
          placeholder={t('song.titlePlaceholder')}
          maxLength={100}
          value={value.title}
          onChange={(e) => onChange({ title: e.currentTarget.value })}
        />
      </SimpleGrid>
    </Stack>
  );
}
