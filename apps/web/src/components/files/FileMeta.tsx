import { Code, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileObject } from '../../api/types';
import { formatBytes, formatDateTime, formatDuration } from '../../lib/format';

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={700} style={{ letterSpacing: '0.04em' }}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** The facts about a file, in a compact grid. */
export function FileMeta({ file }: { file: FileObject }) {
  const { t, i18n } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" verticalSpacing="md">
      <Item label={t('file.kind')}>{t(`kinds.${file.kind}`)}</Item>
      <Item label={t('file.format')}>{file.mime}</Item>
      <Item label={t('file.size')}>{formatBytes(file.size_bytes, i18n.language)}</Item>
      {file.duration_seconds !== null ? <Item label={t('file.duration')}>{formatDuration(file.duration_seconds)}</Item> : null}
      {file.width && file.height ? (
        <Item label={t('file.dimensions')}>
          {file.width} × {file.height}
        </Item>
      ) : null}
      <Item label={t('file.uploaded')}>{formatDateTime(file.created_at, i18n.language)}</Item>
      <Item label={t('file.status')}>{file.status === 'ready' ? t('file.ready') : t('library.preparing')}</Item>
      <Item label={t('file.id')}>
        <Code>{file.id}</Code>
      </Item>
    </SimpleGrid>
  );
}
