import { Group, NumberInput, SegmentedControl, Slider, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CROP_ASPECTS, type CropAspect, type EditorDoc } from './model';

interface FramePanelProps {
  doc: EditorDoc;
  onTrim(edge: 'start' | 'end', value: number, key?: string): void;
  onCrop(aspect: CropAspect | null): void;
  onSpeed(factor: number, key?: string): void;
}

const SPEED_MARKS = [0.25, 0.5, 1, 2, 4].map((v) => ({ value: Math.log2(v), label: `${v}×` }));

/** Exact trim points, the crop aspect and the speed. */
export function FramePanel({ doc, onTrim, onCrop, onSpeed }: FramePanelProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="md">
      <Group grow>
        <NumberInput
          label={t('editor.trimStartField')}
          value={doc.trimStart}
          min={0}
          max={doc.trimEnd - 0.1}
          step={0.1}
          decimalScale={2}
          suffix=" s"
          onChange={(v) => typeof v === 'number' && v >= 0 && v < doc.trimEnd - 0.05 && onTrim('start', v, 'trim-start-field')}
        />
        <NumberInput
          label={t('editor.trimEndField')}
          value={doc.trimEnd}
          min={doc.trimStart + 0.1}
          max={doc.duration}
          step={0.1}
          decimalScale={2}
          suffix=" s"
          onChange={(v) => typeof v === 'number' && v <= doc.duration && v > doc.trimStart + 0.05 && onTrim('end', v, 'trim-end-field')}
        />
      </Group>
      <div>
        <Text size="sm" fw={500} id="crop-label" mb={4}>
          {t('editor.crop')}
        </Text>
        <SegmentedControl
          aria-labelledby="crop-label"
          fullWidth
          value={doc.crop ?? 'original'}
          onChange={(v) => onCrop(v === 'original' ? null : (v as CropAspect))}
          data={[{ value: 'original', label: t('editor.cropOriginal') }, ...CROP_ASPECTS.map((a) => ({ value: a, label: a }))]}
        />
      </div>
      <div>
        <Text size="sm" fw={500} id="speed-label">
          {t('editor.speed')}: {doc.speed}×
        </Text>
        <Slider
          aria-labelledby="speed-label"
          aria-valuetext={`${doc.speed}×`}
          min={-2}
          max={2}
          step={0.25}
          marks={SPEED_MARKS}
          value={Math.log2(doc.speed)}
          label={(v) => `${Math.round(2 ** v * 100) / 100}×`}
          onChange={(v) => onSpeed(Math.round(2 ** v * 100) / 100, 'speed')}
          mb="lg"
        />
        <Text size="xs" c="dimmed">
          {t('editor.speedHint')}
        </Text>
      </div>
    </Stack>
  );
}
