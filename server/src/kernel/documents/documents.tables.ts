import { bigint, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Kernel tables shared by every document type (orders, shipments, contracts, account requests…):
 * number sequences, configurable number patterns, and the timeline of each document.
 */

/** Gap-free counters per document type and period ('202611'); incremented inside the creating transaction. */
export const documentSequences = pgTable(
  'document_sequences',
  {
    docType: text('doc_type').notNull(),
    period: text('period').notNull(),
    lastValue: integer('last_value').notNull(),
  },
  (t) => [primaryKey({ columns: [t.docType, t.period] })],
);

/** Administrator-set number patterns; a type without a row uses the pattern its definition declares. */
export const documentNumberPatterns = pgTable('document_number_patterns', {
  docType: text('doc_type').primaryKey(),
  pattern: text('pattern').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One chronological line per thing that happened to a document: creation, transitions, approvals, comments, edits. */
export const documentEvents = pgTable(
  'document_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    docType: text('doc_type').notNull(),
    docId: text('doc_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    kind: text('kind', { enum: ['created', 'transition', 'approval', 'comment', 'edit', 'attachment'] }).notNull(),
    actorId: integer('actor_id'),
    actorName: text('actor_name'),
    /** When a delegate acted: the person they acted for. */
    onBehalfOfId: integer('on_behalf_of_id'),
    onBehalfOfName: text('on_behalf_of_name'),
    transition: text('transition'),
    fromState: text('from_state'),
    toState: text('to_state'),
    comment: text('comment'),
    data: jsonb('data'),
  },
  (t) => [index('document_events_doc_idx').on(t.docType, t.docId, t.id), index('document_events_actor_idx').on(t.actorId)],
);
