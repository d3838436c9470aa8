import { buildUrl, getCsrfToken, refreshSession } from './client';
import { ApiError, problemFromText } from './problem';
import type { FileObject } from './types';

export interface UploadHandle {
  promise: Promise<FileObject>;
  abort(): void;
}

function sendOnce(
  file: File,
  purpose: string | undefined,
  onProgress: (fraction: number) => void,
  bind: (xhr: XMLHttpRequest) => void,
): Promise<FileObject> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    bind(xhr);
    xhr.open('POST', buildUrl('/files'));
    xhr.withCredentials = true;
    xhr.responseType = 'text';
    xhr.setRequestHeader('Accept', 'application/json');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          onProgress(1);
          resolve(JSON.parse(xhr.responseText) as FileObject);
        } catch {
          reject(new ApiError({ status: xhr.status, code: 'bad_response' }));
        }
      } else {
        reject(problemFromText(xhr.status, xhr.responseText, xhr.getResponseHeader('Request-Id')));
      }
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network_error' }));
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'aborted' }));
    const form = new FormData();
    if (purpose) form.append('purpose', purpose);
    form.append('file', file, file.name);
    xhr.send(form);
  });
}

/** Uploads one file with XMLHttpRequest so the browser reports progress; renews CSRF once if needed. */
export function uploadFile(file: File, onProgress: (fraction: number) => void, purpose?: string): UploadHandle {
  let current: XMLHttpRequest | null = null;
  let aborted = false;
  const bind = (xhr: XMLHttpRequest) => {
    current = xhr;
  };
  const promise = (async () => {
    try {
      return await sendOnce(file, purpose, onProgress, bind);
    } catch (err) {
      if (!aborted && err instanceof ApiError && err.status === 403 && err.code === 'csrf_invalid') {
        await refreshSession();
        onProgress(0);
        return sendOnce(file, purpose, onProgress, bind);
      }
      throw err;
    }
  })();
  return {
    promise,
    abort() {
      aborted = true;
      current?.abort();
    },
  };
}
