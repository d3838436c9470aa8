import { Box, Code, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { CopyIconButton } from './CopyIconButton';

/** A titled, copyable block of code (shell commands, JavaScript). */
export function CodeSnippet({ title, description, code, testId }: { title: string; description?: string; code: string; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap={6} data-testid={testId}>
      <Group justify="space-between" align="flex-end" wrap="nowrap">
        <Stack gap={0}>
          <Text fw={600} size="sm">
            {title}
          </Text>
          {description ? (
            <Text size="xs" c="dimmed">
              {description}
            </Text>
          ) : null}
        </Stack>
      </Group>
      <Box pos="relative">
        <Code block fz="xs" pr={48} style={{ whiteSpace: 'pre', overflowX: 'auto' }}>
          {code}
        </Code>
        <Box pos="absolute" top={6} right={6}>
          <CopyIconButton value={code} label={t('developers.copySnippet', { name: title })} size="sm" />
        </Box>
      </Box>
    </Stack>
  );
}
