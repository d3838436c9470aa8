import { Button, ColorInput, Group, NumberInput, SegmentedControl, Slider, Stack, Text, Textarea } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TextAnimation, TextOverlay } from './model';

interface TextPanelProps {
  texts: TextOverlay[];
  selected: string | null;
  duration: number;
  onAdd(): void;
  onChange(id: string, patch: Partial<TextOverlay>, key?: string): void;
  onDelete(id: string): void;
  onSelect(id: string): void;
}

const SWATCHES = ['#ffffff', '#000000', '#ffd43b', '#ff6b6b', '#4dabf7', '#69db7c', '#da77f2'];

/** Add text overlays and style the selected one (drag it on the preview to place it). */
export function TextPanel(p: TextPanelProps) {
  const { t } = useTranslation();
  const tx = p.texts.find((x) => x.id === p.selected) ?? null;
  return (
    <Stack gap="sm">
      <Button leftSection={<IconPlus size={16} aria-hidden />} variant="light" onClick={p.onAdd}>
        {t('editor.addText')}
      </Button>
      {p.texts.length > 0 && !tx ? (
        <Group gap={6}>
          {p.texts.map((x) => (
            <Button key={x.id} size="compact-xs" variant="default" onClick={() => p.onSelect(x.id)}>
              {x.text.slice(0, 18) || '…'}
            </Button>
          ))}
        </Group>
      ) : null}
      {tx ? (
        <Stack gap="sm" data-testid="text-style">
          <Textarea
            label={t('editor.text')}
            value={tx.text}
            autosize
            minRows={1}
            maxRows={4}
            maxLength={1000}
            onChange={(e) => p.onChange(tx.id, { text: e.currentTarget.value }, `text-${tx.id}`)}
          />
          <div>
            <Text size="sm" fw={500} id="text-size-label">
              {t('editor.size')}
            </Text>
            <Slider
              aria-labelledby="text-size-label"
              min={3}
              max={25}
              step={0.5}
              value={tx.size}
              label={(v) => `${v}%`}
              onChange={(v) => p.onChange(tx.id, { size: v }, `size-${tx.id}`)}
            />
          </div>
          <ColorInput
            label={t('editor.color')}
            format="hex"
            swatches={SWATCHES}
            value={tx.color}
            onChange={(v) => /^#[0-9a-f]{6}$/i.test(v) && p.onChange(tx.id, { color: v }, `color-${tx.id}`)}
          />
          <div>
            <Text size="sm" fw={500} id="text-anim-label">
              {t('editor.animation')}
            </Text>
            <SegmentedControl
              aria-labelledby="text-anim-label"
              fullWidth
              value={tx.animation}
              onChange={(v) => p.onChange(tx.id, { animation: v as TextAnimation })}
              data={[
                { value: 'none', label: t('editor.animNone') },
                { value: 'fade', label: t('editor.animFade') },
                { value: 'slide', label: t('editor.animSlide') },
              ]}
            />
          </div>
          <Group grow>
            <NumberInput
              label={t('editor.textStart')}
              value={tx.start}
              min={0}
              max={tx.end - 0.1}
              step={0.1}
              decimalScale={2}
              suffix=" s"
              onChange={(v) => typeof v === 'number' && v < tx.end && p.onChange(tx.id, { start: Math.max(0, v) }, `start-${tx.id}`)}
            />
            <NumberInput
              label={t('editor.textEnd')}
              value={tx.end}
              min={tx.start + 0.1}
              max={p.duration}
              step={0.1}
              decimalScale={2}
              suffix=" s"
              onChange={(v) => typeof v === 'number' && v > tx.start && p.onChange(tx.id, { end: Math.min(p.duration, v) }, `end-${tx.id}`)}
            />
          </Group>
          <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={() => p.onDelete(tx.id)}>
            {t('editor.deleteText')}
          </Button>
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t('editor.textHint')}
        </Text>
      )}
    </Stack>
  );
}
