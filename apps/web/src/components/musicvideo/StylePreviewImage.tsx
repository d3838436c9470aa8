import { Center, Skeleton } from '@mantine/core';
import { IconPhotoOff } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useStylePreview, type AspectRatio } from '../../api/musicVideos';

const HEIGHT = 150;

function useObjectUrl(blob: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) return undefined;
    const u = URL.createObjectURL(blob);
    setUrl(u);
    return () => {
      URL.revokeObjectURL(u);
      setUrl(undefined);
    };
  }, [blob]);
  return url;
}

/** The first photo as a video in this style and aspect would show it (rendered by the server). */
export function StylePreviewImage({ imageFile, style, aspect, alt }: { imageFile: string | null; style: string; aspect: AspectRatio; alt: string }) {
  const preview = useStylePreview(imageFile, style, aspect);
  const url = useObjectUrl(preview.data);
  const box = { height: HEIGHT, borderRadius: 'var(--mantine-radius-sm)', background: 'var(--mantine-color-dark-8)', overflow: 'hidden' } as const;
  if (!imageFile || preview.isError) {
    return (
      <Center style={box} c="dimmed" aria-hidden>
        <IconPhotoOff size={28} />
      </Center>
    );
  }
  if (!url) return <Skeleton h={HEIGHT} radius="sm" />;
  return (
    <Center style={box}>
      <img
        src={url}
        alt={alt}
        data-testid="mv-style-preview"
        data-style={style}
        style={{ maxWidth: '100%', maxHeight: '100%', objectFit: 'contain', display: 'block' }}
      />
    </Center>
  );
}
