import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db, Queryable } from '../../kernel/db/client.js';
import { recordEvent, registerDocumentType } from '../../kernel/documents/lifecycle.js';
import { DomainError, forbidden, notFound, versionConflict } from '../../kernel/errors.js';
import type { ProductDocumentInput } from './products.schemas.js';
import { type ExpiryState, expiryStateSql } from './products.service.js';
import { productDocuments, products } from './products.tables.js';

/**
 * 产品资质 (a product's qualification documents): registration certificate, inspection reports,
 * package insert, GMP certificate, price approval … Each has an optional number, issue and expiry
 * dates (no expiry = long-term) and files attached through the attachments kernel, under the document
 * type 'product_document' (so the attachment and timeline routes work for them). Whoever may read the
 * catalogue may see them; products.write maintains them. Expiry state on a day: expired (before the
 * day), expiring (within 30 days), valid.
 */
export const PRODUCT_DOCUMENT_TYPE = 'product_document';

type ProductDocument = typeof productDocuments.$inferSelect;
const asDocument = (row: ProductDocument) => ({ ...row, number: row.number ?? '' });

const KIND_NAMES: Record<string, string> = {
  registration: '药品注册证',
  inspection_report: '检验报告',
  package_insert: '说明书',
  gmp: 'GMP证书',
  price_approval: '价格批文',
  other: '其他资质',
};

registerDocumentType({
  type: PRODUCT_DOCUMENT_TYPE,
  name: { 'zh-CN': '产品资质', 'en-US': 'Product document' },
  numberPattern: 'PD-{yyyy}-{seq:5}',
  table: productDocuments,
  states: { active: { 'zh-CN': '有效', 'en-US': 'Active' } },
  transitions: {},
  load: async (db, id) => {
    const [row] = await db.select().from(productDocuments).where(eq(productDocuments.id, id));
    return row ? asDocument(row) : null;
  },
  loadVisible: async (db, actor, id) => {
    if (!actor.permissions.has('products.read')) return null;
    const [row] = await db.select().from(productDocuments).where(eq(productDocuments.id, id));
    return row ? asDocument(row) : null;
  },
  mayAttach: (actor) => actor.permissions.has('products.write'),
  summaries: async (db, ids) =>
    ids.length === 0
      ? []
      : (
          await db
            .select({ id: productDocuments.id, number: productDocuments.number, kind: productDocuments.kind, name: products.genericName })
            .from(productDocuments)
            .innerJoin(products, eq(products.id, productDocuments.productId))
            .where(inArray(productDocuments.id, ids))
        ).map((r) => ({ id: r.id, number: r.number ?? '', title: `${r.name} ${KIND_NAMES[r.kind] ?? r.kind}` })),
});

export type ProductDocumentRow = Omit<ProductDocument, 'status' | 'createdBy' | 'updatedAt'> & { expiryState: ExpiryState; attachmentCount: number };

export async function listProductDocuments(db: Queryable, productId: number, today: string): Promise<ProductDocumentRow[]> {
  const [product] = await db.select({ id: products.id }).from(products).where(eq(products.id, productId));
  if (!product) throw notFound();
  const rows = await db
    .select({
      id: productDocuments.id,
      productId: productDocuments.productId,
      kind: productDocuments.kind,
      number: productDocuments.number,
      issuedOn: productDocuments.issuedOn,
      expiresOn: productDocuments.expiresOn,
      notes: productDocuments.notes,
      version: productDocuments.version,
      createdAt: productDocuments.createdAt,
      expiryState: expiryStateSql(sql`${productDocuments.expiresOn}`, today),
      attachmentCount: sql<number>`(select count(*)::int from attachments a where a.doc_type = ${PRODUCT_DOCUMENT_TYPE} and a.doc_id = "product_documents"."id" and a.deleted_at is null)`,
    })
    .from(productDocuments)
    .where(eq(productDocuments.productId, productId))
    .orderBy(asc(productDocuments.kind), asc(productDocuments.id));
  return rows.map((r) => ({ ...r, attachmentCount: Number(r.attachmentCount) }));
}

function checkDates(input: ProductDocumentInput) {
  if (input.issuedOn && input.expiresOn && input.expiresOn < input.issuedOn) {
    throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'expiresOn', code: 'PRODUCT_DOCUMENT_DATES' }]);
  }
}

export async function addProductDocument(db: Db, actor: Actor, productId: number, input: ProductDocumentInput, today: string): Promise<ProductDocumentRow> {
  checkDates(input);
  const id = await db.transaction(async (tx) => {
    const [product] = await tx.select({ id: products.id }).from(products).where(eq(products.id, productId)).for('update');
    if (!product) throw notFound();
    const [row] = await tx.insert(productDocuments).values({ ...input, productId, createdBy: actor.id || null }).returning();
    await recordEvent(tx, actor, PRODUCT_DOCUMENT_TYPE, row.id, { kind: 'created' });
    await audit(tx, actor, { action: 'product_document.created', entity: 'product', entityId: productId, after: row });
    return row.id;
  });
  return (await listProductDocuments(db, productId, today)).find((d) => d.id === id)!;
}

export async function updateProductDocument(db: Db, actor: Actor, id: number, input: ProductDocumentInput & { version: number }, today: string): Promise<ProductDocumentRow> {
  checkDates(input);
  const productId = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(productDocuments).where(eq(productDocuments.id, id)).for('update');
    if (!before) throw notFound();
    if (before.version !== input.version) throw versionConflict();
    const { version: _, ...values } = input;
    const [after] = await tx.update(productDocuments).set({ ...values, version: before.version + 1, updatedAt: new Date() }).where(eq(productDocuments.id, id)).returning();
    await recordEvent(tx, actor, PRODUCT_DOCUMENT_TYPE, id, { kind: 'edit', data: { before: values, after: values } });
    await audit(tx, actor, { action: 'product_document.updated', entity: 'product', entityId: before.productId, before, after });
    return before.productId;
  });
  return (await listProductDocuments(db, productId, today)).find((d) => d.id === id)!;
}

/** Removes a document record (its attachments stay in the audit trail). */
export async function deleteProductDocument(db: Db, actor: Actor, id: number): Promise<void> {
  if (!actor.permissions.has('products.write')) throw forbidden();
  await db.transaction(async (tx) => {
    const [before] = await tx.select().from(productDocuments).where(eq(productDocuments.id, id)).for('update');
    if (!before) throw notFound();
    await tx.execute(sql`update attachments set deleted_at = now(), deleted_by = ${actor.id || null} where doc_type = ${PRODUCT_DOCUMENT_TYPE} and doc_id = ${id} and deleted_at is null`);
    await tx.delete(productDocuments).where(and(eq(productDocuments.id, id)));
    await audit(tx, actor, { action: 'product_document.deleted', entity: 'product', entityId: before.productId, before });
  });
}
