import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { updateAccount } from '../../api/account';
import { qk } from '../../api/keys';
import type { Session } from '../../api/types';
import { isLocale, readLangCookie, writeLangCookie } from '../../i18n/language';
import { safeNext } from '../../layout/GuestOnly';

/** After login or sign-up: remember the session, line up the language, go where the user was heading. */
export function useAuthSuccess(): (session: Session, opts?: { fresh?: boolean }) => void {
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { i18n } = useTranslation();
  return (session, opts) => {
    qc.setQueryData(qk.session, session);
    const current = isLocale(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';
    if (opts?.fresh) {
      // A new account starts in the language the visitor is using.
      writeLangCookie(current);
      if (session.user.locale !== current) {
        updateAccount({ locale: current })
          .then((user) => qc.setQueryData<Session | null>(qk.session, (s) => (s ? { ...s, user } : s)))
          .catch(() => undefined);
      }
    } else if (!readLangCookie() && session.user.locale !== current) {
      writeLangCookie(session.user.locale);
      void i18n.changeLanguage(session.user.locale);
    }
    navigate(safeNext(params.get('next')), { replace: true });
  };
}
