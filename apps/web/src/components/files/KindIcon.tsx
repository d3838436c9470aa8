import { IconFile, IconMusic, IconPhoto, IconVideo } from '@tabler/icons-react';
import type { FileKind } from '../../api/types';

export function KindIcon({ kind, size = 18 }: { kind: FileKind | null; size?: number }) {
  const props = { size, stroke: 1.7, 'aria-hidden': true } as const;
  if (kind === 'audio') return <IconMusic {...props} />;
  if (kind === 'image') return <IconPhoto {...props} />;
  if (kind === 'video') return <IconVideo {...props} />;
  return <IconFile {...props} />;
}
