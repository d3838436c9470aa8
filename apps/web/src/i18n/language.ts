import type { Locale } from '../api/types';

export const LANGUAGES: readonly Locale[] = ['en', 'es'];
export const LANG_COOKIE = 'clipmix_lang';
const ONE_YEAR_SECONDS = 365 * 24 * 60 * 60;

export function isLocale(value: unknown): value is Locale {
  return value === 'en' || value === 'es';
}

export function readLangCookie(): Locale | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === LANG_COOKIE) {
      const value = decodeURIComponent(rest.join('='));
      return isLocale(value) ? value : null;
    }
  }
  return null;
}

export function writeLangCookie(lang: Locale): void {
  document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=${ONE_YEAR_SECONDS}; SameSite=Lax`;
}

/** Cookie first, then the browser's languages, then English. */
export function detectLanguage(): Locale {
  const fromCookie = readLangCookie();
  if (fromCookie) return fromCookie;
  const candidates = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : [];
  for (const tag of candidates) {
    const base = tag?.slice(0, 2).toLowerCase();
    if (isLocale(base)) return base;
  }
  return 'en';
}
