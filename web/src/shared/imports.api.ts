import i18n from '../app/i18n';
import { api, ApiError, getCsrfToken } from './api';

/** An uploaded import file after validation (see server kernel/excel). */
export interface ImportBatch {
  batchId: number;
  kind: string;
  filename: string;
  status: 'validated' | 'committing' | 'committed' | 'failed';
  total: number;
  valid: number;
  committed: number;
  createdAt: string;
  errors: { row: number; column: string; message: string }[];
}

export type CommitMode = 'all_or_nothing' | 'valid_only';

export interface CommitResult extends ImportBatch {
  result: { committed: number; handOver?: { row: number; label: string; secret: string }[] };
}

export const commitImport = (batchId: number, mode: CommitMode) => api.post<CommitResult>(`/imports/batches/${batchId}/commit`, { mode });

/**
 * Uploads a file with XMLHttpRequest, because fetch cannot report upload progress; the reply and its
 * errors have the same shape as every other API call.
 */
export function uploadImport(kind: string, file: File, onProgress: (percent: number) => void): Promise<ImportBatch> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/imports/${kind}`);
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
      let body: { error?: { code?: string; message?: string; fields?: [] } } | ImportBatch | null = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: generic message below
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body as ImportBatch);
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      reject(new ApiError(xhr.status, error?.code ?? `HTTP_${xhr.status}`, error?.message ?? i18n.t('errors.http', { status: xhr.status })));
    };
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
