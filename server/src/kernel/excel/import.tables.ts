import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, varchar } from 'drizzle-orm/pg-core';
import { users } from '../access/access.tables.js';

/** A problem with one cell (or the whole row when column is null); the message is localised when shown. */
export type StoredCellError = { column: string | null; code: string; params?: Record<string, unknown> };
/** One data row of an uploaded file: its spreadsheet row number, the raw text of each column, and its problems. */
export type StoredImportRow = { row: number; cells: Record<string, string>; errors: StoredCellError[] };

export const IMPORT_BATCH_STATUSES = ['validated', 'committing', 'committed', 'failed'] as const;
export type ImportBatchStatus = (typeof IMPORT_BATCH_STATUSES)[number];

/**
 * An uploaded import file after validation. Rows are kept (as jsonb) so that the commit does not need
 * the file again and the rejected rows can be downloaded for correction.
 */
export const importBatches = pgTable(
  'import_batches',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    kind: text('kind').notNull(),
    fileSha256: varchar('file_sha256', { length: 64 }).notNull(),
    filename: text('filename').notNull(),
    userId: integer('user_id').notNull().references(() => users.id),
    status: text('status').$type<ImportBatchStatus>().notNull().default('validated'),
    total: integer('total').notNull(),
    valid: integer('valid').notNull(),
    committed: integer('committed').notNull().default(0),
    rows: jsonb('rows').$type<StoredImportRow[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
  },
  (t) => [
    index('import_batches_user_idx').on(t.userId),
    index('import_batches_kind_created_idx').on(t.kind, t.createdAt),
    // The same file is imported once; a batch that failed may be uploaded again.
    uniqueIndex('import_batches_file_uq').on(t.kind, t.fileSha256).where(sql`${t.status} <> 'failed'`),
    check('import_batches_status_chk', sql`${t.status} in ('validated','committing','committed','failed')`),
    check('import_batches_counts_chk', sql`${t.total} >= 0 and ${t.valid} between 0 and ${t.total} and ${t.committed} between 0 and ${t.total}`),
  ],
);
