import { Anchor, Badge, Code, Group, Paper, Stack, Title } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { JobOutputFile } from '../../api/types';

/** The files a job produced, by role, each downloadable. */
export function JobOutputs({ outputs }: { outputs: JobOutputFile[] }) {
  const { t } = useTranslation();
  return (
    <Paper p="lg" radius="lg">
      <Title order={2} size="h5" mb="md">
        {t('jobs.outputs')}
      </Title>
      <Stack gap="sm">
        {outputs.map((o) => (
          <Group key={`${o.role}-${o.file}`} justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
              <Badge variant="light">{t(`roles.${o.role}`, { defaultValue: o.role })}</Badge>
              <Code>{o.file}</Code>
            </Group>
            <Anchor
              href={`/api/v1/files/${encodeURIComponent(o.file)}/content`}
              download
              size="sm"
              aria-label={t('jobs.downloadRole', { role: t(`roles.${o.role}`, { defaultValue: o.role }) })}
            >
              <Group gap={4} component="span" wrap="nowrap">
                <IconDownload size={14} aria-hidden />
                {t('file.download')}
              </Group>
            </Anchor>
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}
