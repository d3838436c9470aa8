import { Box, Center, Loader, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileObject } from '../../api/types';
import { KindIcon } from './KindIcon';
import { MiniWaveform } from './MiniWaveform';

/** The visual of a file in a card: thumbnail, waveform, or a placeholder while it is prepared. */
export function FileThumb({ file }: { file: FileObject }) {
  const { t } = useTranslation();
  const [broken, setBroken] = useState(false);

  if (file.status === 'processing') {
    return (
      <Center h="100%" c="dimmed">
        <Stack align="center" gap={6}>
          <Loader size="sm" type="bars" />
          <Text size="xs">{t('library.preparing')}</Text>
        </Stack>
      </Center>
    );
  }
  if (file.kind === 'audio') {
    return (
      <Box h="100%" px="md" py="lg">
        <MiniWaveform url={file.waveform_url} label={t('library.waveformOf', { name: file.filename })} />
      </Box>
    );
  }
  const src = file.thumbnail_url ?? (file.kind === 'image' ? file.content_url : null);
  if (!src || broken) {
    return (
      <Center h="100%" c="dimmed">
        <KindIcon kind={file.kind} size={36} />
      </Center>
    );
  }
  return (
    <img
      src={src}
      alt={t('library.thumbnailOf', { name: file.filename })}
      loading="lazy"
      decoding="async"
      onError={() => setBroken(true)}
      data-testid="file-thumbnail"
      style={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }}
    />
  );
}
