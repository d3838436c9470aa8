import { ActionIcon, Badge, Center } from '@mantine/core';
import { useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { IconGripVertical, IconPhoto, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ItemProgress } from './ItemProgress';
import classes from './PhotoTile.module.css';
import type { WizardItem } from './useWizardUploads';

interface PhotoTileProps {
  photo: WizardItem;
  index: number;
  onRemove: () => void;
  onRetry: () => void;
}

/** One photo of the grid: a drag handle (pointer or keyboard), its position, remove, upload progress. */
export function PhotoTile({ photo, index, onRemove, onRetry }: PhotoTileProps) {
  const { t } = useTranslation();
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id: photo.key });
  const src = photo.localUrl ?? photo.result?.thumbnail_url ?? undefined;
  return (
    <li
      ref={setNodeRef}
      className={classes.tile}
      style={{ transform: CSS.Translate.toString(transform), transition }}
      data-dragging={isDragging || undefined}
      data-testid="mv-photo"
      data-name={photo.name}
      data-status={photo.status}
    >
      {src ? (
        <img src={src} alt={photo.name} className={classes.image} draggable={false} />
      ) : (
        <Center h="100%" c="dimmed" aria-hidden>
          <IconPhoto size={28} />
        </Center>
      )}
      <ActionIcon
        ref={setActivatorNodeRef}
        className={classes.handle}
        variant="filled"
        color="dark"
        size="md"
        {...attributes}
        {...listeners}
        aria-label={t('musicVideo.photos.moveNamed', { position: index + 1, name: photo.name })}
        data-testid="mv-photo-handle"
      >
        <IconGripVertical size={16} />
      </ActionIcon>
      <ActionIcon
        className={classes.remove}
        variant="filled"
        color="dark"
        size="md"
        onClick={onRemove}
        aria-label={t('musicVideo.removeNamed', { name: photo.name })}
      >
        <IconX size={16} />
      </ActionIcon>
      {photo.status === 'done' ? (
        <Badge className={classes.order} variant="filled" color="dark" size="sm" aria-hidden>
          {index + 1}
        </Badge>
      ) : (
        <div className={classes.progress}>
          <ItemProgress item={photo} onRetry={onRetry} compact />
        </div>
      )}
    </li>
  );
}
