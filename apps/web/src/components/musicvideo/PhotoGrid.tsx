import {
  closestCenter,
  DndContext,
  KeyboardSensor,
  PointerSensor,
  useSensor,
  useSensors,
  type Announcements,
  type DragEndEvent,
  type UniqueIdentifier,
} from '@dnd-kit/core';
import { rectSortingStrategy, SortableContext, sortableKeyboardCoordinates } from '@dnd-kit/sortable';
import { SimpleGrid } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { PhotoTile } from './PhotoTile';
import type { WizardItem } from './useWizardUploads';

interface PhotoGridProps {
  photos: WizardItem[];
  onMove: (from: string, to: string) => void;
  onRemove: (key: string) => void;
  onRetry: (key: string) => void;
}

/** The photos in the order they appear in the video; drag (or Space + arrow keys) to reorder. */
export function PhotoGrid({ photos, onMove, onRemove, onRetry }: PhotoGridProps) {
  const { t } = useTranslation();
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }),
  );
  const ids = photos.map((p) => p.key);
  const announcements = useMemo<Announcements>(() => {
    const position = (id: UniqueIdentifier) => photos.findIndex((p) => p.key === id) + 1;
    const name = (id: UniqueIdentifier) => photos.find((p) => p.key === id)?.name ?? '';
    return {
      onDragStart: ({ active }) => t('musicVideo.photos.aria.start', { name: name(active.id), position: position(active.id) }),
      onDragOver: ({ active, over }) =>
        over ? t('musicVideo.photos.aria.over', { name: name(active.id), position: position(over.id) }) : undefined,
      onDragEnd: ({ active, over }) =>
        over ? t('musicVideo.photos.aria.end', { name: name(active.id), position: position(over.id) }) : undefined,
      onDragCancel: ({ active }) => t('musicVideo.photos.aria.cancel', { name: name(active.id) }),
    };
  }, [t, photos]);

  const onDragEnd = (e: DragEndEvent) => {
    if (e.over && e.active.id !== e.over.id) onMove(String(e.active.id), String(e.over.id));
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      accessibility={{ announcements, screenReaderInstructions: { draggable: t('musicVideo.photos.aria.instructions') } }}
    >
      <SortableContext items={ids} strategy={rectSortingStrategy}>
        <SimpleGrid
          component="ol"
          cols={{ base: 3, xs: 4, sm: 5, md: 6 }}
          spacing="sm"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label={t('musicVideo.photos.label')}
          data-testid="mv-photo-grid"
        >
          {photos.map((photo, i) => (
            <PhotoTile key={photo.key} photo={photo} index={i} onRemove={() => onRemove(photo.key)} onRetry={() => onRetry(photo.key)} />
          ))}
        </SimpleGrid>
      </SortableContext>
    </DndContext>
  );
}
