import { Group, SegmentedControl, Stack, Text } from '@mantine/core';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ASPECT_RATIOS, RESOLUTIONS, type AspectRatio, type Resolution } from '../../api/musicVideos';

function Labelled({ label, children }: { label: string; children: (labelId: string) => ReactNode }) {
  const id = useId();
  return (
    <Stack gap={6}>
      <Text size="sm" fw={600} id={id}>
        {label}
      </Text>
      {children(id)}
    </Stack>
  );
}

/** Aspect ratio and resolution of the video. */
export function FormatOptions({
  aspect,
  resolution,
  onAspect,
  onResolution,
}: {
  aspect: AspectRatio;
  resolution: Resolution;
  onAspect: (a: AspectRatio) => void;
  onResolution: (r: Resolution) => void;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xl" align="flex-start">
      <Labelled label={t('musicVideo.format.aspect')}>
        {(id) => (
          <SegmentedControl
            aria-labelledby={id}
            value={aspect}
            onChange={(v) => onAspect(v as AspectRatio)}
            data={ASPECT_RATIOS.map((a) => ({ value: a, label: t(`musicVideo.format.aspects.${a.replace(':', 'x')}`) }))}
            data-testid="mv-aspect"
          />
        )}
      </Labelled>
      <Labelled label={t('musicVideo.format.resolution')}>
        {(id) => (
          <SegmentedControl
            aria-labelledby={id}
            value={resolution}
            onChange={(v) => onResolution(v as Resolution)}
            data={RESOLUTIONS.map((r) => ({ value: r, label: r }))}
            data-testid="mv-resolution"
          />
        )}
      </Labelled>
    </Group>
  );
}
