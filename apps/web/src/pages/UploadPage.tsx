import { Button, Group, List, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconLayoutGrid, IconMusic, IconPhoto, IconVideo } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../components/PageHeader';
import { DropZone } from '../components/uploads/DropZone';
import { UploadQueue } from '../components/uploads/UploadQueue';
import { useUploads } from '../components/uploads/uploadsContext';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

function FormatCard({ icon, title, body }: { icon: React.ReactNode; title: string; body: string }) {
  return (
    <Paper p="md" radius="lg">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ThemeIcon variant="light" size={36} radius="md" aria-hidden>
          {icon}
        </ThemeIcon>
        <div>
          <Text fw={600} size="sm">
            {title}
          </Text>
          <Text size="xs" c="dimmed">
            {body}
          </Text>
        </div>
      </Group>
    </Paper>
  );
}

/** Create → Upload: bring songs, photos and clips into the library. */
export function UploadPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('upload.title'));
  const uploads = useUploads();
  const finished = uploads.items.some((it) => it.status === 'done');
  return (
    <Stack gap="xl">
      <PageHeader
        title={t('upload.title')}
        description={t('upload.description')}
        actions={
          finished ? (
            <Button component={Link} to="/library" variant="light" leftSection={<IconLayoutGrid size={16} />}>
              {t('upload.toLibrary')}
            </Button>
          ) : undefined
        }
      />
      <DropZone onFiles={uploads.add} />
      <UploadQueue />
      <section aria-labelledby="formats-title">
        <Title order={2} size="h5" mb="sm" id="formats-title">
          {t('upload.formatsTitle')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <FormatCard icon={<IconMusic size={18} />} title={t('kinds.audio')} body={t('upload.formatsAudio')} />
          <FormatCard icon={<IconPhoto size={18} />} title={t('kinds.image')} body={t('upload.formatsImage')} />
          <FormatCard icon={<IconVideo size={18} />} title={t('kinds.video')} body={t('upload.formatsVideo')} />
        </SimpleGrid>
        <List size="sm" c="dimmed" mt="md" spacing={4}>
          <List.Item>{t('upload.tipParallel')}</List.Item>
          <List.Item>{t('upload.tipValidate')}</List.Item>
        </List>
      </section>
    </Stack>
  );
}
