import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useSetUser, verifyEmail } from '../api/auth';
import { EmailLinkResult } from '../components/auth/EmailLinkResult';
import { useDocumentTitle } from '../hooks/useDocumentTitle';
import { useTokenAction } from '../hooks/useTokenAction';

/** Opened from the verification email: confirms the address. */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  useDocumentTitle(t('verifyPage.title'));
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const setUser = useSetUser();
  const action = useTokenAction(token, verifyEmail, (r) => setUser(r.user));
  return (
    <EmailLinkResult
      token={token}
      status={action.status}
      error={action.error}
      title={t('verifyPage.title')}
      pendingText={t('verifyPage.pending')}
      doneTitle={t('verifyPage.doneTitle')}
      doneText={t('verifyPage.doneBody', { email: action.data?.user.email ?? '' })}
      testId="verify-result"
    />
  );
}
