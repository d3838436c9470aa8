import { Anchor, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useUser } from '../api/auth';
import { FileDetailModal } from '../components/files/FileDetailModal';
import { RecentJobs } from '../components/home/RecentJobs';
import { RecentUploads } from '../components/home/RecentUploads';
import { MakeMusicVideoCta } from '../components/musicvideo/MakeMusicVideoCta';
import { DropZone } from '../components/uploads/DropZone';
import { UploadQueue } from '../components/uploads/UploadQueue';
import { useUploads } from '../components/uploads/uploadsContext';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

function SectionTitle({ id, title, to, linkLabel }: { id: string; title: string; to: string; linkLabel: string }) {
  return (
    <Group justify="space-between" mb="md">
      <Title order={2} size="h4" id={id}>
        {title}
      </Title>
      <Anchor component={Link} to={to} size="sm" fw={600}>
        <Group gap={4} component="span">
          {linkLabel}
          <IconArrowRight size={14} aria-hidden />
        </Group>
      </Anchor>
    </Group>
  );
}

/** Home: a big drop zone, then what was uploaded and rendered lately. */
export function HomePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('home.docTitle'));
  const user = useUser();
  const uploads = useUploads();
  const [openId, setOpenId] = useState<string | null>(null);
  const firstName = user.name.trim().split(/\s+/)[0] ?? user.name;

  return (
    <Stack gap={40}>
      <Stack gap="lg">
        <div>
          <Title order={1} size="h2">
            {t('home.greeting', { name: firstName })}
          </Title>
          <Text c="dimmed" mt={4}>
            {t('home.subtitle')}
          </Text>
        </div>
        <MakeMusicVideoCta />
        <DropZone onFiles={uploads.add} />
        <UploadQueue />
      </Stack>
      <Grid gap={{ base: 40, lg: 'xl' }}>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <section aria-labelledby="recent-uploads">
            <SectionTitle id="recent-uploads" title={t('home.recentUploads')} to="/library" linkLabel={t('home.openLibrary')} />
            <RecentUploads onOpen={(f) => setOpenId(f.id)} />
          </section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <section aria-labelledby="recent-jobs">
            <SectionTitle id="recent-jobs" title={t('home.recentJobs')} to="/jobs" linkLabel={t('home.allJobs')} />
            <RecentJobs />
          </section>
        </Grid.Col>
      </Grid>
      <FileDetailModal fileId={openId} onClose={() => setOpenId(null)} />
    </Stack>
  );
}
