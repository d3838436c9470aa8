import type { TFunction } from 'i18next';
import { ApiError } from '../api/problem';

/** What went wrong, in words for the user: the API's problem detail, or a translated fallback. */
export function errorMessage(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.status === 0) return err.code === 'aborted' ? t('errors.aborted') : t('errors.network');
    if (err.status === 429) return err.detail ? `${t('errors.rateLimited')} ${err.detail}` : t('errors.rateLimited');
    if (err.detail) return err.detail;
    if (err.status === 413) return t('errors.tooLarge');
    if (err.status === 415) return t('errors.unsupported');
    if (err.status >= 500) return t('errors.server');
    return t('errors.generic');
  }
  return t('errors.generic');
}

/** A short translated heading that frames an error message. */
export function errorTitle(err: unknown, t: TFunction): string {
  if (err instanceof ApiError) {
    if (err.status === 413) return t('errors.titleTooLarge');
    if (err.status === 415 || err.status === 422) return t('errors.titleRejected');
    if (err.status === 0) return t('errors.titleOffline');
  }
  return t('errors.title');
}

export function requestIdOf(err: unknown): string | undefined {
  return err instanceof ApiError ? err.requestId : undefined;
}
