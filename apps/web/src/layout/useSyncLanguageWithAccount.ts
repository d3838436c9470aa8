import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../api/auth';
import { readLangCookie, writeLangCookie } from '../i18n/language';

/** Without a language cookie on this device, the account's saved language wins. */
export function useSyncLanguageWithAccount(): void {
  const { data } = useSession();
  const { i18n } = useTranslation();
  const locale = data?.user.locale;
  useEffect(() => {
    if (!locale || readLangCookie()) return;
    writeLangCookie(locale);
    if (i18n.language !== locale) void i18n.changeLanguage(locale);
  }, [locale, i18n]);
}
