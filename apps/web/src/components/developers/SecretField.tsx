import { Code, Group, Stack, Text } from '@mantine/core';
import { CopyIconButton } from './CopyIconButton';

/** A one-time secret in monospace, selectable and copyable. */
export function SecretField({ label, value, copyLabel, testId }: { label: string; value: string; copyLabel: string; testId: string }) {
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="center">
        <Code
          block
          fz="sm"
          data-testid={testId}
          style={{ flex: 1, minWidth: 0, wordBreak: 'break-all', whiteSpace: 'pre-wrap', userSelect: 'all' }}
        >
          {value}
        </Code>
        <CopyIconButton value={value} label={copyLabel} size="lg" />
      </Group>
    </Stack>
  );
}
