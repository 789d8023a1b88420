import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import { audit } from '../audit/audit.js';
import type { Db, Queryable } from '../db/client.js';
import { documentType, recordEvent } from '../documents/lifecycle.js';
import { DomainError, notFound } from '../errors.js';
import { attachments } from './files.tables.js';

/**
 * Attachments on any document: stored on local disk under the data directory (files/yyyy/mm/uuid),
 * recorded in `attachments`, listed and downloaded with the same access check as the document.
 * Only office, image and archive types are accepted, by extension AND by content: a file whose
 * first bytes say "executable" or "script" is refused whatever its name. Downloads always come as
 * attachments with our own content type, never rendered inline.
 */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  ofd: 'application/ofd', // Chinese e-invoices and official documents
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  csv: 'text/csv',
  txt: 'text/plain',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
};
export const ALLOWED_EXTENSIONS = Object.keys(TYPES);

/** Content that must never be stored whatever the file is called: executables and scripts. */
function looksDangerous(head: Buffer): boolean {
  const ascii = head.toString('latin1').trimStart().slice(0, 64).toLowerCase();
  return (
    (head[0] === 0x4d && head[1] === 0x5a) || // MZ: Windows executable
    (head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46) || // ELF
    (head[0] === 0xca && head[1] === 0xfe && head[2] === 0xba && head[3] === 0xbe) || // Mach-O / Java class
    ascii.startsWith('#!') ||
    ascii.startsWith('<script') ||
    ascii.startsWith('<html') ||
    ascii.startsWith('<!doctype html') ||
    ascii.startsWith('<svg')
  );
}

export function extensionOf(filename: string): string {
  return path.extname(filename).slice(1).toLowerCase();
}

export type AttachmentRow = { id: number; filename: string; contentType: string; sizeBytes: number; uploadedBy: number; uploadedByName: string; uploadedAt: Date };

async function assertVisible(db: Queryable, actor: Actor, docType: string, docId: number) {
  if (!(await documentType(docType).loadVisible(db, actor, docId))) throw notFound();
}

/** Visible, and the document type lets this actor change its files (e.g. product documents: products.write). */
async function assertMayAttach(db: Queryable, actor: Actor, docType: string, docId: number) {
  const def = documentType(docType);
  const doc = await def.loadVisible(db, actor, docId);
  if (!doc) throw notFound();
  if (def.mayAttach && !def.mayAttach(actor, doc)) throw new DomainError('FORBIDDEN', {}, 403);
}

export async function listAttachments(db: Queryable, actor: Actor, docType: string, docId: number): Promise<AttachmentRow[]> {
  await assertVisible(db, actor, docType, docId);
  return db
    .select({
      id: attachments.id,
      filename: attachments.filename,
      contentType: attachments.contentType,
      sizeBytes: attachments.sizeBytes,
      uploadedBy: attachments.uploadedBy,
      uploadedByName: sql<string>`(select u.display_name from users u where u.id = ${attachments.uploadedBy})`,
      uploadedAt: attachments.uploadedAt,
    })
    .from(attachments)
    .where(and(eq(attachments.docType, docType), eq(attachments.docId, docId), isNull(attachments.deletedAt)))
    .orderBy(asc(attachments.id));
}

/** Streams an upload to disk (hashing and sniffing on the way), then records it; a refused or failed upload leaves nothing behind. */
export async function saveAttachment(
  db: Db,
  actor: Actor,
  filesDir: string,
  target: { docType: string; docId: number },
  upload: { filename: string; stream: Readable; truncated: () => boolean },
): Promise<AttachmentRow> {
  try {
    await assertMayAttach(db, actor, target.docType, target.docId);
  } catch (e) {
    upload.stream.resume();
    throw e;
  }
  const filename = path.basename(upload.filename).slice(0, 200);
  const ext = extensionOf(filename);
  if (!TYPES[ext]) {
    upload.stream.resume();
    throw new DomainError('ATTACHMENT_TYPE_REFUSED', { ext: ext || '?', allowed: ALLOWED_EXTENSIONS.join(', ') }, 422, [{ path: 'file', code: 'ATTACHMENT_TYPE_REFUSED', params: { ext: ext || '?', allowed: ALLOWED_EXTENSIONS.join(', ') } }]);
  }
  const now = new Date();
  const storageKey = path.join(String(now.getUTCFullYear()), String(now.getUTCMonth() + 1).padStart(2, '0'), randomUUID());
  const fullPath = path.join(filesDir, storageKey);
  fs.mkdirSync(path.dirname(fullPath), { recursive: true });
  const hash = createHash('sha256');
  let size = 0;
  let head = Buffer.alloc(0);
  const inspect = new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (head.length < 64) head = Buffer.concat([head, chunk]).subarray(0, 64);
      size += chunk.length;
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(upload.stream, inspect, fs.createWriteStream(fullPath, { flags: 'wx' }));
    if (upload.truncated() || size > MAX_ATTACHMENT_BYTES) throw new DomainError('ATTACHMENT_TOO_LARGE', { mb: MAX_ATTACHMENT_BYTES / 1024 / 1024 }, 413);
    if (size === 0) throw new DomainError('ATTACHMENT_EMPTY', {}, 422);
    if (looksDangerous(head)) throw new DomainError('ATTACHMENT_CONTENT_REFUSED', {}, 422);
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(attachments)
        .values({ ...target, filename, contentType: TYPES[ext], sizeBytes: size, sha256: hash.digest('hex'), storageKey, uploadedBy: actor.id })
        .returning();
      await recordEvent(tx, actor, target.docType, target.docId, { kind: 'attachment', transition: 'added', data: { attachmentId: row.id, filename, sizeBytes: size } });
      await audit(tx, actor, { action: 'attachment.added', entity: target.docType, entityId: target.docId, after: { attachmentId: row.id, filename, sizeBytes: size, sha256: row.sha256 } });
      return row.id;
    });
    return (await listAttachments(db, actor, target.docType, target.docId)).find((a) => a.id === id)!;
  } catch (e) {
    fs.rmSync(fullPath, { force: true });
    throw e;
  }
}

/** The stored file of an attachment the actor may see, via its document. */
export async function openAttachment(db: Queryable, actor: Actor, filesDir: string, id: number) {
  const [row] = await db.select().from(attachments).where(and(eq(attachments.id, id), isNull(attachments.deletedAt)));
  if (!row) throw notFound();
  await assertVisible(db, actor, row.docType, row.docId);
  return { row, path: path.join(filesDir, row.storageKey) };
}

/** Removes an attachment from the document (the uploader, or who may configure documents); the bytes stay for the audit trail. */
export async function deleteAttachment(db: Db, actor: Actor, id: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(attachments).where(and(eq(attachments.id, id), isNull(attachments.deletedAt))).for('update');
    if (!row) throw notFound();
    await assertMayAttach(tx, actor, row.docType, row.docId);
    if (row.uploadedBy !== actor.id && !actor.permissions.has('documents.configure')) throw new DomainError('FORBIDDEN', {}, 403);
    await tx.update(attachments).set({ deletedAt: new Date(), deletedBy: actor.id }).where(eq(attachments.id, id));
    await recordEvent(tx, actor, row.docType, row.docId, { kind: 'attachment', transition: 'removed', data: { attachmentId: id, filename: row.filename } });
    await audit(tx, actor, { action: 'attachment.removed', entity: row.docType, entityId: row.docId, before: { attachmentId: id, filename: row.filename } });
  });
}
