import { Box, Group, Radio, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Choice {
  value: string;
  label: string;
  hint?: string;
  icon?: ReactNode;
}

/** A labelled group of radio cards (arrow keys move, Space picks): genre and mood pickers. */
export function ChoiceCards({
  label,
  value,
  onChange,
  choices,
  cols = { base: 2, sm: 4 },
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  choices: Choice[];
  cols?: { base: number; sm?: number; md?: number };
  testId?: string;
}) {
  return (
    <Box data-testid={testId}>
      <Radio.Group label={label} value={value} onChange={onChange} labelProps={{ fw: 600, mb: 'xs' }}>
        <SimpleGrid cols={cols} spacing="sm">
          {choices.map((c) => (
            <Radio.Card key={c.value} value={c.value} radius="md" p="sm" aria-label={c.label} data-value={c.value}>
              <Group gap="sm" wrap="nowrap" align="center">
                <Radio.Indicator size="sm" />
                {c.icon}
                <div style={{ minWidth: 0 }}>
                  <Text fw={600} size="sm" lh={1.2}>
                    {c.label}
                  </Text>
                  {c.hint ? (
                    <Text size="xs" c="dimmed">
                      {c.hint}
                    </Text>
                  ) : null}
                </div>
              </Group>
            </Radio.Card>
          ))}
        </SimpleGrid>
      </Radio.Group>
    </Box>
  );
}
