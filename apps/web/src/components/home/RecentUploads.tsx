import { SimpleGrid, Skeleton } from '@mantine/core';
import { IconPhotoUp, IconUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useFilesInfinite } from '../../api/files';
import type { FileObject } from '../../api/types';
import { EmptyBlock } from '../EmptyBlock';
import { ErrorAlert } from '../ErrorAlert';
import { FileCard } from '../files/FileCard';

export function RecentUploads({ onOpen }: { onOpen: (file: FileObject) => void }) {
  const { t } = useTranslation();
  const files = useFilesInfinite('all', 6);
  const list = files.data?.pages[0]?.data ?? [];
  if (files.isPending) {
    return (
      <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} h={180} radius="lg" />
        ))}
      </SimpleGrid>
    );
  }
  if (files.isError) return <ErrorAlert error={files.error} onRetry={() => void files.refetch()} />;
  if (list.length === 0) {
    return (
      <EmptyBlock
        icon={<IconPhotoUp size={28} />}
        title={t('home.noUploadsTitle')}
        description={t('home.noUploadsBody')}
        action={{ label: t('home.noUploadsAction'), to: '/upload', icon: <IconUpload size={16} /> }}
        testId="empty-uploads"
      />
    );
  }
  return (
    <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" data-testid="recent-uploads">
      {list.map((file) => (
        <FileCard key={file.id} file={file} onOpen={onOpen} />
      ))}
    </SimpleGrid>
  );
}
