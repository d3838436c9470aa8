import { Box, Loader, SimpleGrid, Skeleton, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useEditFilters } from '../../api/edits';
import { ErrorAlert } from '../ErrorAlert';
import { usePreviewImage } from './usePreviewImage';

interface FilterGalleryProps {
  fileId: string;
  /** Source time the thumbnails show. */
  time: number;
  value: string | null;
  onChange(name: string | null): void;
}

function Tile({ fileId, time, name, label, selected, onClick }: { fileId: string; time: number; name: string | null; label: string; selected: boolean; onClick(): void }) {
  const img = usePreviewImage({ source_file: fileId, operations: name ? [{ type: 'filter', name }] : [], time, width: 160 }, { queued: true, delayMs: 150 });
  return (
    <UnstyledButton
      onClick={onClick}
      aria-pressed={selected}
      data-testid="filter-tile"
      data-filter={name ?? 'none'}
      style={{
        borderRadius: 8,
        overflow: 'hidden',
        outline: selected ? '2px solid var(--mantine-color-violet-4)' : '1px solid var(--mantine-color-dark-4)',
      }}
    >
      <Box h={62} bg="dark.6" style={{ display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
        {img.url ? <img src={img.url} alt="" style={{ width: '100%', height: '100%', objectFit: 'cover', display: 'block' }} /> : <Loader size="xs" type="dots" />}
      </Box>
      <Text size="xs" ta="center" py={4} fw={selected ? 700 : 400}>
        {label}
      </Text>
    </UnstyledButton>
  );
}

/** Every look with a live thumbnail of the current frame. */
export function FilterGallery(p: FilterGalleryProps) {
  const { t } = useTranslation();
  const filters = useEditFilters();
  // Thumbnails follow the playhead only coarsely, so scrubbing does not re-render all of them.
  const time = Math.round(p.time);
  if (filters.isPending) return <Skeleton h={200} />;
  if (filters.isError) return <ErrorAlert error={filters.error} onRetry={() => void filters.refetch()} />;
  return (
    <SimpleGrid cols={3} spacing="xs" role="group" aria-label={t('editor.filters')}>
      <Tile fileId={p.fileId} time={time} name={null} label={t('editor.noFilter')} selected={p.value === null} onClick={() => p.onChange(null)} />
      {filters.data.data.map((f) => (
        <Tile
          key={f.name}
          fileId={p.fileId}
          time={time}
          name={f.name}
          label={t(`editor.filterNames.${f.name}`, { defaultValue: f.label })}
          selected={p.value === f.name}
          onClick={() => p.onChange(f.name)}
        />
      ))}
    </SimpleGrid>
  );
}
