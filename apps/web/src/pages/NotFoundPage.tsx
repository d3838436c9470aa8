import { IconHome2, IconMapQuestion } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyBlock } from '../components/EmptyBlock';
import { useDocumentTitle } from '../hooks/useDocumentTitle';

export function NotFoundPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('notFound.title'));
  return (
    <EmptyBlock
      icon={<IconMapQuestion size={28} />}
      title={t('notFound.title')}
      description={t('notFound.body')}
      action={{ label: t('notFound.action'), to: '/', icon: <IconHome2 size={16} /> }}
    />
  );
}
