import { Alert, Box, Button, Skeleton, Stack } from '@mantine/core';
import { IconDeviceDesktop, IconReplace } from '@tabler/icons-react';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useFile } from '../../api/files';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { Editor } from '../../components/editor/Editor';
import { VideoPicker } from '../../components/editor/VideoPicker';
import { useDocumentTitle } from '../../hooks/useDocumentTitle';

/** /create/edit[?file=ID]: pick or upload a video, then edit it and export a new one as a job. */
export function EditorPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('editor.title'));
  const [params, setParams] = useSearchParams();
  const fileId = params.get('file');
  const file = useFile(fileId);
  const pick = useCallback((id: string) => setParams({ file: id }), [setParams]);

  const wrongKind = file.data && file.data.kind !== 'video';
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('editor.title')}
        description={file.data && !wrongKind ? file.data.filename : t('editor.description')}
        actions={
          fileId ? (
            <Button component={Link} to="/create/edit" variant="default" leftSection={<IconReplace size={16} aria-hidden />}>
              {t('editor.otherVideo')}
            </Button>
          ) : null
        }
      />
      {/* Hidden with CSS rather than unmounted, so turning a tablet keeps the edit. */}
      <Alert hiddenFrom="md" color="violet" variant="light" icon={<IconDeviceDesktop size={20} aria-hidden />} title={t('editor.wideTitle')} data-testid="editor-wide-screen">
        {t('editor.wideBody')}
      </Alert>
      <Box visibleFrom="md">
        {!fileId ? (
          <VideoPicker onPick={pick} />
        ) : file.isPending ? (
          <Skeleton h={420} radius="lg" />
        ) : file.isError ? (
          <ErrorAlert error={file.error} onRetry={() => void file.refetch()} />
        ) : wrongKind ? (
          <Alert color="orange" variant="light" title={t('editor.notVideoTitle')}>
            {t('editor.notVideoBody')}
          </Alert>
        ) : (
          <Editor key={file.data.id} file={file.data} />
        )}
      </Box>
    </Stack>
  );
}
