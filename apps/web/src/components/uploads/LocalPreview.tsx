import { Center, Image } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { FileKind } from '../../api/types';
import { KindIcon } from '../files/KindIcon';

/** A square preview from the file on this device, before the server has one. */
export function LocalPreview({ file, kind }: { file: File; kind: FileKind | null }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (kind !== 'image') return;
    const objectUrl = URL.createObjectURL(file);
    setUrl(objectUrl);
    return () => URL.revokeObjectURL(objectUrl);
  }, [file, kind]);
  return (
    <Center
      w={48}
      h={48}
      bg="var(--mantine-color-default-hover)"
      style={{ borderRadius: 'var(--mantine-radius-md)', overflow: 'hidden', flexShrink: 0 }}
      aria-hidden
    >
      {url ? <Image src={url} alt="" w={48} h={48} fit="cover" /> : <KindIcon kind={kind} size={22} />}
    </Center>
  );
}
