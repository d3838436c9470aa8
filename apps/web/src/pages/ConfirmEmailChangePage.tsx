import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { confirmEmailChange, useSetUser } from '../api/auth';
import { EmailLinkResult } from '../components/auth/EmailLinkResult';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useTokenAction } from '../hooks/useTokenAction';

/** Opened from the email sent to a new address: switches the account to it. */
export function ConfirmEmailChangePage() {
  const { t } = useTranslation();
  useDocumentTitle(t('emailChangePage.title'));
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const setUser = useSetUser();
  const action = useTokenAction(token, confirmEmailChange, (r) => setUser(r.user));
  return (
    <EmailLinkResult
      token={token}
      status={action.status}
      error={action.error}
      title={t('emailChangePage.title')}
      pendingText={t('emailChangePage.pending')}
      doneTitle={t('emailChangePage.doneTitle')}
      doneText={t('emailChangePage.doneBody', { email: action.data?.user.email ?? '' })}
      testId="email-change-result"
    />
  );
}
