import { Box, Center } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { FileObject } from '../../api/types';
import { KindIcon } from './KindIcon';
import { LazyWaveformPlayer } from './LazyWaveformPlayer';

/** The right player for the kind: video, audio on its waveform, or the image itself. */
export function FilePlayer({ file }: { file: FileObject }) {
  const { t } = useTranslation();
  if (file.status === 'processing') {
    return (
      <Center h={220} c="dimmed" bg="var(--mantine-color-default-hover)" style={{ borderRadius: 'var(--mantine-radius-lg)' }}>
        <KindIcon kind={file.kind} size={40} />
      </Center>
    );
  }
  if (file.kind === 'audio') {
    return <LazyWaveformPlayer url={file.content_url} waveformUrl={file.waveform_url} duration={file.duration_seconds} />;
  }
  if (file.kind === 'video') {
    return (
      <Box bg="black" style={{ borderRadius: 'var(--mantine-radius-lg)', overflow: 'hidden' }}>
        <video
          src={file.content_url}
          poster={file.thumbnail_url ?? undefined}
          controls
          preload="metadata"
          playsInline
          aria-label={t('player.videoOf', { name: file.filename })}
          style={{ width: '100%', maxHeight: '60vh', display: 'block', background: 'black' }}
        />
      </Box>
    );
  }
  return (
    <Center bg="var(--mantine-color-default-hover)" style={{ borderRadius: 'var(--mantine-radius-lg)', overflow: 'hidden' }}>
      <img
        src={file.content_url}
        alt={file.filename}
        style={{ display: 'block', maxWidth: '100%', maxHeight: '60vh', width: 'auto', height: 'auto', objectFit: 'contain' }}
      />
    </Center>
  );
}
