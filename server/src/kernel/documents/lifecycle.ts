import { asc, and, eq, getTableName, sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Actor } from '../access/actor.js';
import { audit } from '../audit/audit.js';
import { rowsOf, type Tx, type Queryable } from '../db/client.js';
import { DomainError, notFound } from '../errors.js';
import { documentEvents } from './documents.tables.js';

/**
 * Documents with a lifecycle. A module declares its document type once — states, named
 * transitions with guards, how to load and scope-check a document, what facts approval conditions
 * may test — and the kernel does the rest: a status changes only through `transition()`, which
 * checks the current state and the guard, updates the row optimistically (status and version),
 * writes the timeline event and the audit entry in the same transaction.
 */
export type Text2 = { 'zh-CN': string; 'en-US': string };

export type DocumentBase = { id: number; number: string; status: string; version: number };

export type TransitionDef<D extends DocumentBase> = {
  from: string[];
  to: string;
  label: Text2;
  /** Only the kernel may fire it (approval outcomes), never a user directly. */
  system?: boolean;
  guard?: (actor: Actor, doc: D) => boolean;
};

export type DocumentTypeDef<D extends DocumentBase = DocumentBase> = {
  type: string;
  name: Text2;
  numberPattern: string;
  /** The module's table; it must have id, status, version and updated_at columns. */
  table: PgTable;
  states: Record<string, Text2>;
  transitions: Record<string, TransitionDef<D>>;
  /** Loads one document whoever asks (for the kernel's own use, e.g. approval outcomes). */
  load: (db: Queryable, id: number) => Promise<D | null>;
  /** Loads one document if the actor may see it (null otherwise). */
  loadVisible: (db: Queryable, actor: Actor, id: number) => Promise<D | null>;
  /** Number and title of documents, for to-do lists; no scope (the caller decides). */
  summaries: (db: Queryable, ids: number[]) => Promise<{ id: number; number: string; title: string }[]>;
  /** Who may add or remove files on a visible document (default: whoever may see it). */
  mayAttach?: (actor: Actor, doc: D) => boolean;
  /** Facts that approval-flow conditions may test, e.g. { amount: 125000, roleCount: 2 }. */
  facts?: (doc: D) => Record<string, number | string | boolean | string[] | number[]>;
  /** The app path of a document, for links in notifications. */
  link?: (id: number) => string;
  /** Refuse submission when no approval flow applies (instead of approving at once). */
  requireFlow?: boolean;
  /** Runs inside the transaction that approves the document; its result goes back to the approver. */
  onApproved?: (tx: Tx, actor: Actor, doc: D) => Promise<Record<string, unknown> | void>;
};

const registry = new Map<string, DocumentTypeDef<never>>();

export function registerDocumentType<D extends DocumentBase>(def: DocumentTypeDef<D>): DocumentTypeDef<D> {
  registry.set(def.type, def as unknown as DocumentTypeDef<never>);
  return def;
}

export function documentType(type: string): DocumentTypeDef {
  const def = registry.get(type);
  if (!def) throw notFound();
  return def as unknown as DocumentTypeDef;
}

export function documentTypes(): DocumentTypeDef[] {
  return [...registry.values()] as unknown as DocumentTypeDef[];
}

export type TransitionOptions = { comment?: string | null; system?: boolean; onBehalfOf?: { id: number; name: string } | null; data?: unknown };

export async function transition<D extends DocumentBase>(
  tx: Tx,
  actor: Actor,
  def: DocumentTypeDef<D>,
  doc: D,
  name: string,
  options: TransitionOptions = {},
): Promise<D> {
  const t = def.transitions[name];
  if (!t) throw new DomainError('TRANSITION_UNKNOWN', { transition: name }, 422);
  if (!t.from.includes(doc.status)) {
    throw new DomainError('TRANSITION_NOT_ALLOWED', { transition: t.label[actor.locale], state: def.states[doc.status]?.[actor.locale] ?? doc.status }, 409);
  }
  if (t.system && !options.system) throw new DomainError('FORBIDDEN', {}, 403);
  if (t.guard && !options.system && !t.guard(actor, doc)) throw new DomainError('FORBIDDEN', {}, 403);
  const updated = rowsOf<{ id: number }>(
    await tx.execute(
      sql`update ${sql.identifier(getTableName(def.table))} set status = ${t.to}, version = version + 1, updated_at = now()
          where id = ${doc.id} and status = ${doc.status} and version = ${doc.version} returning id`,
    ),
  );
  if (updated.length === 0) throw new DomainError('CONFLICT_VERSION', {}, 409);
  await recordEvent(tx, actor, def.type, doc.id, {
    kind: 'transition',
    transition: name,
    fromState: doc.status,
    toState: t.to,
    comment: options.comment ?? null,
    onBehalfOf: options.onBehalfOf ?? null,
    data: options.data,
  });
  await audit(tx, actor, {
    action: `${def.type}.${name}`,
    entity: def.type,
    entityId: doc.id,
    before: { status: doc.status, number: doc.number },
    after: { status: t.to, comment: options.comment ?? undefined, onBehalfOf: options.onBehalfOf ?? undefined },
  });
  return { ...doc, status: t.to, version: doc.version + 1 };
}

type EventInput = {
  kind: 'created' | 'transition' | 'approval' | 'comment' | 'edit' | 'attachment';
  transition?: string | null;
  fromState?: string | null;
  toState?: string | null;
  comment?: string | null;
  onBehalfOf?: { id: number; name: string } | null;
  data?: unknown;
};

/** Appends one line to a document's timeline (inside the caller's transaction). */
export async function recordEvent(tx: Tx, actor: Actor | null, docType: string, docId: number, e: EventInput): Promise<void> {
  await tx.insert(documentEvents).values({
    docType,
    docId: String(docId),
    kind: e.kind,
    actorId: actor && actor.id !== 0 ? actor.id : null,
    actorName: actor?.displayName ?? null,
    onBehalfOfId: e.onBehalfOf?.id ?? null,
    onBehalfOfName: e.onBehalfOf?.name ?? null,
    transition: e.transition ?? null,
    fromState: e.fromState ?? null,
    toState: e.toState ?? null,
    comment: e.comment ?? null,
    data: e.data === undefined ? null : (e.data as object),
  });
}

export async function timeline(db: Queryable, docType: string, docId: number) {
  return db
    .select()
    .from(documentEvents)
    .where(and(eq(documentEvents.docType, docType), eq(documentEvents.docId, String(docId))))
    .orderBy(asc(documentEvents.id));
}
