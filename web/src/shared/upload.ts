import i18n from '../app/i18n';
import { ApiError, getCsrfToken } from './api';

/**
 * Uploads one file (multipart field "file") with XMLHttpRequest, because fetch cannot report upload
 * progress; the reply and its errors have the same shape as every other API call.
 */
export function uploadFile<T>(url: string, file: File, onProgress: (percent: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', i18n.language || 'zh-CN');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network')));
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: generic message below
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body as T);
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      reject(new ApiError(xhr.status, error?.code ?? `HTTP_${xhr.status}`, error?.message ?? i18n.t('errors.http', { status: xhr.status })));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
