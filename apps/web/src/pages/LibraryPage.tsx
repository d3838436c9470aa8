import { Button, Center, Group, SegmentedControl, SimpleGrid, Skeleton, Stack, Text } from '@mantine/core';
import { IconLayoutGrid, IconUpload } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useFilesInfinite } from '../api/files';
import type { FileKind } from '../api/types';
import { EmptyBlock } from '../components/EmptyBlock';
import { ErrorAlert } from '../components/ErrorAlert';
import { FileCard } from '../components/files/FileCard';
import { FileDetailModal } from '../components/files/FileDetailModal';
import { PageHeader } from '../components/PageHeader';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

type KindFilter = FileKind | 'all';
const KINDS: KindFilter[] = ['all', 'audio', 'image', 'video'];

/** Library: every upload and result, filterable by kind, opening into a detail view. */
export function LibraryPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('library.title'));
  const [params, setParams] = useSearchParams();
  const kindParam = params.get('kind') as KindFilter | null;
  const kind: KindFilter = kindParam && KINDS.includes(kindParam) ? kindParam : 'all';
  const openId = params.get('file');
  const files = useFilesInfinite(kind);
  const list = files.data?.pages.flatMap((p) => p.data) ?? [];

  const update = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    setParams(next, { replace: true });
  };

  return (
    <Stack gap="lg">
      <PageHeader
        title={t('library.title')}
        description={t('library.description')}
        actions={
          <Button component={Link} to="/upload" leftSection={<IconUpload size={16} />}>
            {t('nav.upload')}
          </Button>
        }
      />
      <Group justify="space-between" gap="sm">
        <SegmentedControl
          value={kind}
          onChange={(v) => update({ kind: v === 'all' ? null : v })}
          aria-label={t('library.filterLabel')}
          data={KINDS.map((k) => ({ value: k, label: t(`library.filter.${k}`) }))}
          data-testid="kind-filter"
        />
        {list.length > 0 ? (
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('library.count', { count: list.length })}
            {files.hasNextPage ? '+' : ''}
          </Text>
        ) : null}
      </Group>
      {files.isPending ? (
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md">
          {Array.from({ length: 8 }, (_, i) => (
            <Skeleton key={i} h={200} radius="lg" />
          ))}
        </SimpleGrid>
      ) : files.isError ? (
        <ErrorAlert error={files.error} onRetry={() => void files.refetch()} />
      ) : list.length === 0 ? (
        <EmptyBlock
          icon={<IconLayoutGrid size={28} />}
          title={kind === 'all' ? t('library.emptyTitle') : t('library.emptyKindTitle', { kind: t(`library.filter.${kind}`) })}
          description={t('library.emptyBody')}
          action={{ label: t('library.emptyAction'), to: '/upload', icon: <IconUpload size={16} /> }}
          testId="empty-library"
        />
      ) : (
        <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md" data-testid="library-grid">
          {list.map((file) => (
            <FileCard key={file.id} file={file} onOpen={(f) => update({ file: f.id })} />
          ))}
        </SimpleGrid>
      )}
      {files.hasNextPage ? (
        <Center>
          <Button variant="default" onClick={() => void files.fetchNextPage()} loading={files.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Center>
      ) : null}
      <FileDetailModal fileId={openId} onClose={() => update({ file: null })} />
    </Stack>
  );
}
