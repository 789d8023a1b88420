import { api } from './api';
import { uploadFile } from './upload';

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

export const uploadImport = (kind: string, file: File, onProgress: (percent: number) => void) =>
  uploadFile<ImportBatch>(`/api/imports/${kind}`, file, onProgress);
