import { Button, Group, Paper, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowRight, IconMovie } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The home page's way into the flagship: one card, one button. */
export function MakeMusicVideoCta() {
  const { t } = useTranslation();
  return (
    <Paper
      p="lg"
      radius="lg"
      data-testid="cta-music-video"
      style={{ background: 'linear-gradient(120deg, rgba(121, 80, 242, 0.28), rgba(190, 75, 219, 0.16) 60%, transparent)' }}
    >
      <Group justify="space-between" gap="md">
        <Group gap="md" wrap="nowrap" style={{ minWidth: 0, flex: 1 }}>
          <ThemeIcon size={52} radius="xl" variant="light" aria-hidden>
            <IconMovie size={28} />
          </ThemeIcon>
          <div style={{ minWidth: 0 }}>
            <Title order={2} size="h4">
              {t('musicVideo.home.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('musicVideo.home.description')}
            </Text>
          </div>
        </Group>
        <Button component={Link} to="/create/music-video" size="md" rightSection={<IconArrowRight size={18} aria-hidden />}>
          {t('musicVideo.home.cta')}
        </Button>
      </Group>
    </Paper>
  );
}
