import { createHash } from 'node:crypto';
import { and, eq, ne } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import { audit } from '../audit/audit.js';
import type { Db, Queryable, Tx } from '../db/client.js';
import { DomainError, forbidden, notFound } from '../errors.js';
import type { Locale } from '../i18n.js';
import { type CommitResult, columnHeader, errorMessage, type Importer, matchHeaders, parseRows, readTable } from './import.js';
import { type ImportBatchStatus, importBatches, type StoredImportRow } from './import.tables.js';

/**
 * Import batches. Rules:
 * - every row of an upload is validated before anything is written; the parsed rows are kept;
 * - the same file (sha256) is imported once per kind — a second upload points to the first batch;
 * - a batch belongs to its uploader; administrators see everyone's, other users only their own;
 * - all-or-nothing commits only a batch without errors; valid-only commits the good rows and keeps the
 *   rest for the error file; rows are re-checked against the database at commit;
 * - a batch commits once: the first click claims it (status committing) under a row lock.
 */
export type CommitMode = 'all_or_nothing' | 'valid_only';

export type BatchView = {
  batchId: number;
  kind: string;
  filename: string;
  status: ImportBatchStatus;
  total: number;
  valid: number;
  committed: number;
  createdAt: Date;
  errors: { row: number; column: string; message: string }[];
};

type BatchRow = typeof importBatches.$inferSelect;

const DEFAULT_MAX_ROWS = 20_000;

function assertMayImport(actor: Actor, importer: Importer<unknown>) {
  if (!actor.permissions.has(importer.permission) || actor.mustChangePassword) throw forbidden();
}

const isAdmin = (actor: Actor) => actor.roles.some((r) => r.code === 'admin');

function viewOf(importer: Importer<unknown>, batch: BatchRow, locale: Locale): BatchView {
  return {
    batchId: batch.id,
    kind: batch.kind,
    filename: batch.filename,
    status: batch.status,
    total: batch.total,
    valid: batch.valid,
    committed: batch.committed,
    createdAt: batch.createdAt,
    errors: batch.rows.flatMap((r) => r.errors.map((e) => ({ row: r.row, column: columnHeader(importer, e.column, locale), message: errorMessage(e, locale) }))),
  };
}

/** Validates every row of an uploaded file and stores the batch; writes no business data. */
export async function validateUpload(
  db: Db,
  actor: Actor,
  importer: Importer<unknown>,
  file: { buffer: Buffer; filename: string },
): Promise<BatchView> {
  assertMayImport(actor, importer);
  const sha = createHash('sha256').update(file.buffer).digest('hex');
  const [earlier] = await db
    .select({ id: importBatches.id, filename: importBatches.filename, createdAt: importBatches.createdAt })
    .from(importBatches)
    .where(and(eq(importBatches.kind, importer.kind), eq(importBatches.fileSha256, sha), ne(importBatches.status, 'failed')));
  if (earlier) throw fileAlreadyImported(earlier);

  const table = await readTable(file.buffer, file.filename, importer.maxRows ?? DEFAULT_MAX_ROWS);
  const at = matchHeaders(importer, table.headers);
  if (table.rows.length === 0) throw new DomainError('IMPORT_EMPTY', {}, 422);
  const rows = table.rows.map((r) => ({
    row: r.row,
    cells: Object.fromEntries(importer.columns.map((c) => [c.key, at.has(c.key) ? (r.cells[at.get(c.key)!] ?? '') : ''])),
  }));
  const { stored, parsed } = await parseRows(db, importer, rows, actor);

  const batch = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(importBatches)
      .values({ kind: importer.kind, fileSha256: sha, filename: file.filename.slice(0, 200), userId: actor.id, total: stored.length, valid: parsed.length, rows: stored })
      .onConflictDoNothing()
      .returning();
    if (!row) {
      // Two uploads of the same file at once: the other one won.
      const [other] = await tx.select().from(importBatches).where(and(eq(importBatches.kind, importer.kind), eq(importBatches.fileSha256, sha), ne(importBatches.status, 'failed')));
      throw fileAlreadyImported(other);
    }
    await audit(tx, actor, {
      action: 'import.validated',
      entity: 'import_batch',
      entityId: row.id,
      after: { kind: row.kind, filename: row.filename, fileSha256: sha, total: row.total, valid: row.valid },
    });
    return row;
  });
  return viewOf(importer, batch, actor.locale);
}

function fileAlreadyImported(earlier: { id: number; filename: string; createdAt: Date }) {
  return new DomainError('IMPORT_FILE_ALREADY_IMPORTED', { batchId: earlier.id, filename: earlier.filename, at: earlier.createdAt.toISOString().slice(0, 16).replace('T', ' ') }, 409);
}

function importerOf(importers: Importer<unknown>[], kind: string) {
  const importer = importers.find((i) => i.kind === kind);
  if (!importer) throw notFound();
  return importer;
}

/** Refuses callers who may not import anything before revealing whether a batch exists. */
export function assertMayImportAny(actor: Actor, importers: Importer<unknown>[]) {
  if (actor.mustChangePassword || !importers.some((i) => actor.permissions.has(i.permission))) throw forbidden();
}

async function readBatch(db: Queryable, actor: Actor, importers: Importer<unknown>[], id: number, lock?: Tx) {
  assertMayImportAny(actor, importers);
  const query = (lock ?? db).select().from(importBatches).where(eq(importBatches.id, id));
  const [batch] = lock ? await query.for('update') : await query;
  if (!batch || (batch.userId !== actor.id && !isAdmin(actor))) throw notFound();
  const importer = importerOf(importers, batch.kind);
  assertMayImport(actor, importer);
  return { batch, importer };
}

export async function getBatch(db: Queryable, actor: Actor, importers: Importer<unknown>[], id: number): Promise<BatchView> {
  const { batch, importer } = await readBatch(db, actor, importers, id);
  return viewOf(importer, batch, actor.locale);
}

export async function batchErrorRows(db: Queryable, actor: Actor, importers: Importer<unknown>[], id: number) {
  const { batch, importer } = await readBatch(db, actor, importers, id);
  return { importer, batch, rows: batch.rows.filter((r) => r.errors.length > 0) };
}

export type CommitView = BatchView & { result: CommitResult };

/** Commits a validated batch: claim → slow preparation outside the transaction → re-check and write in one transaction. */
export async function commitBatch(db: Db, actor: Actor, importers: Importer<unknown>[], id: number, mode: CommitMode): Promise<CommitView> {
  const claimed = await db.transaction(async (tx) => {
    const { batch, importer } = await readBatch(tx, actor, importers, id, tx);
    if (batch.status !== 'validated') throw new DomainError('IMPORT_BATCH_NOT_OPEN', { status: batch.status }, 409);
    const bad = batch.total - batch.valid;
    if (mode === 'all_or_nothing' && bad > 0) throw new DomainError('IMPORT_HAS_ERRORS', { count: bad }, 422);
    if (batch.valid === 0) throw new DomainError('IMPORT_NOTHING_VALID', {}, 422);
    await tx.update(importBatches).set({ status: 'committing' }).where(eq(importBatches.id, id));
    return { batch, importer };
  });
  const { importer } = claimed;
  // A refusal (a DomainError) leaves the batch open; anything else closes it as failed, and the file may be uploaded again.
  const release = (status: 'validated' | 'failed') =>
    db.update(importBatches).set({ status }).where(and(eq(importBatches.id, id), eq(importBatches.status, 'committing')));

  let outcome: { refused: number } | { view: CommitView };
  try {
    const goodRows = claimed.batch.rows.filter((r) => r.errors.length === 0);
    const { parsed } = await parseRows(db, importer, goodRows, actor);
    const prepared = importer.prepare ? await importer.prepare(parsed) : parsed;
    const preparedByRow = new Map(parsed.map((p, i) => [p.row, prepared[i]]));

    outcome = await db.transaction(async (tx) => {
      const [batch] = await tx.select().from(importBatches).where(eq(importBatches.id, id)).for('update');
      if (batch.status !== 'committing') throw new DomainError('IMPORT_BATCH_NOT_OPEN', { status: batch.status }, 409);
      // The database may have changed since the upload (someone created the same username): check again, in bulk.
      const recheck = await parseRows(tx, importer, goodRows, actor);
      const fresh = new Map(recheck.stored.map((s) => [s.row, s]));
      const rows: StoredImportRow[] = batch.rows.map((r) => (r.errors.length === 0 ? (fresh.get(r.row) ?? r) : r));
      const newlyBad = recheck.stored.filter((s) => s.errors.length > 0).length;
      if (newlyBad > 0 && mode === 'all_or_nothing') {
        await tx.update(importBatches).set({ status: 'validated', rows, valid: recheck.parsed.length }).where(eq(importBatches.id, id));
        return { refused: newlyBad };
      }
      const toWrite = recheck.parsed.map((p) => preparedByRow.get(p.row)).filter((p) => p !== undefined);
      const result = toWrite.length ? await importer.commit(tx, actor, toWrite) : { committed: 0 };
      const [done] = await tx
        .update(importBatches)
        .set({ status: 'committed', rows, valid: recheck.parsed.length, committed: result.committed, committedAt: new Date() })
        .where(eq(importBatches.id, id))
        .returning();
      await audit(tx, actor, { action: 'import.committed', entity: 'import_batch', entityId: id, after: { kind: batch.kind, mode, committed: result.committed } });
      return { view: { ...viewOf(importer, done, actor.locale), result } };
    });
  } catch (err) {
    await release(err instanceof DomainError ? 'validated' : 'failed');
    throw err;
  }
  if ('refused' in outcome) throw new DomainError('IMPORT_HAS_ERRORS', { count: outcome.refused }, 422);
  return outcome.view;
}
