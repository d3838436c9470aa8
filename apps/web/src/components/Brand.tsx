import { Group, Text, ThemeIcon } from '@mantine/core';
import { IconPlayerPlayFilled } from '@tabler/icons-react';

const SIZES = { sm: { icon: 30, text: 'lg' }, md: { icon: 36, text: 'xl' }, lg: { icon: 48, text: '28px' } } as const;

/** The ClipMix mark and word. */
export function Brand({ size = 'md' }: { size?: keyof typeof SIZES }) {
  const s = SIZES[size];
  return (
    <Group gap={10} wrap="nowrap">
      <ThemeIcon size={s.icon} radius="md" variant="gradient" gradient={{ from: 'violet.5', to: 'grape.6', deg: 135 }} aria-hidden>
        <IconPlayerPlayFilled size={s.icon * 0.5} />
      </ThemeIcon>
      <Text fw={800} fz={s.text} style={{ letterSpacing: '-0.02em' }} c="bright">
        ClipMix
      </Text>
    </Group>
  );
}
