import { useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { updateAccount } from '../api/account';
import { qk } from '../api/keys';
import type { Locale, Session } from '../api/types';
import { isLocale, writeLangCookie } from './language';

/** The UI language and a setter that updates i18next, the cookie and (signed in) the account. */
export function useLanguage(): { language: Locale; setLanguage: (lang: Locale) => Promise<void> } {
  const { i18n } = useTranslation();
  const qc = useQueryClient();
  const language: Locale = isLocale(i18n.resolvedLanguage) ? i18n.resolvedLanguage : 'en';

  const setLanguage = useCallback(
    async (lang: Locale) => {
      writeLangCookie(lang);
      await i18n.changeLanguage(lang);
      const session = qc.getQueryData<Session | null>(qk.session);
      if (session && session.user.locale !== lang) {
        const user = await updateAccount({ locale: lang });
        qc.setQueryData<Session | null>(qk.session, (s) => (s ? { ...s, user } : s));
      }
    },
    [i18n, qc],
  );

  return { language, setLanguage };
}
