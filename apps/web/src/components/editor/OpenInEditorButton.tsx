import { Button } from '@mantine/core';
import { IconCut } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** "Open in editor" for any video file (a music video, a song's video, an upload). */
export function OpenInEditorButton({ fileId }: { fileId: string }) {
  const { t } = useTranslation();
  return (
    <Button component={Link} to={`/create/edit?file=${encodeURIComponent(fileId)}`} variant="default" leftSection={<IconCut size={16} aria-hidden />}>
      {t('editor.openInEditor', 'Open in editor')}
    </Button>
  );
}
