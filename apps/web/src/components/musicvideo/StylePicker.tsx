import { Group, Radio, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useMusicVideoStyles, type AspectRatio } from '../../api/musicVideos';
import { ErrorAlert } from '../ErrorAlert';
import { StylePreviewImage } from './StylePreviewImage';

interface StylePickerProps {
  value: string;
  onChange: (style: string) => void;
  /** The first uploaded photo, shown in every style; null until one is ready. */
  previewFile: string | null;
  aspect: AspectRatio;
}

/** Style presets as radio cards (arrow keys move, Space picks), each previewing the user's first photo. */
export function StylePicker({ value, onChange, previewFile, aspect }: StylePickerProps) {
  const { t } = useTranslation();
  const styles = useMusicVideoStyles();
  if (styles.isError) return <ErrorAlert error={styles.error} onRetry={() => void styles.refetch()} />;
  return (
    <Radio.Group
      value={value}
      onChange={onChange}
      label={t('musicVideo.style.label')}
      description={previewFile ? t('musicVideo.style.previewHint') : t('musicVideo.style.noPhotoHint')}
      labelProps={{ fw: 600 }}
      descriptionProps={{ mb: 'sm' }}
      data-testid="mv-style-picker"
    >
      <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
        {styles.isPending
          ? Array.from({ length: 6 }, (_, i) => <Skeleton key={i} h={230} radius="md" />)
          : styles.data.data.map((s) => {
              const name = t(`musicVideo.styles.${s.id}.name`, { defaultValue: s.name });
              return (
                <Radio.Card key={s.id} value={s.id} radius="md" p="xs" data-value={s.id} aria-label={name}>
                  <Stack gap="xs">
                    <StylePreviewImage imageFile={previewFile} style={s.id} aspect={aspect} alt={t('musicVideo.style.previewAlt', { style: name })} />
                    <Group gap="xs" wrap="nowrap" align="flex-start" px={4} pb={4}>
                      <Radio.Indicator size="sm" mt={2} />
                      <div style={{ minWidth: 0 }}>
                        <Text fw={600} size="sm">
                          {name}
                        </Text>
                        <Text size="xs" c="dimmed" lineClamp={3}>
                          {t(`musicVideo.styles.${s.id}.description`, { defaultValue: s.description })}
                        </Text>
                      </div>
                    </Group>
                  </Stack>
                </Radio.Card>
              );
            })}
      </SimpleGrid>
    </Radio.Group>
  );
}
