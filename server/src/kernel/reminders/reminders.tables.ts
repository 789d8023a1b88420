import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from '../access/access.tables.js';

/** "Remind me": a user's note for a moment, optionally about a document; the reminders.due job sends it. */
export const reminders = pgTable(
  'reminders',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: integer('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    docType: text('doc_type'),
    docId: integer('doc_id'),
    remindAt: timestamp('remind_at', { withTimezone: true }).notNull(),
    text: text('text').notNull(),
    /** Where the reminder leads in the app when it is not about a document ('/customers/12'). */
    link: text('link'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [index('reminders_due_idx').on(t.sentAt, t.remindAt), index('reminders_user_idx').on(t.userId, t.remindAt), index('reminders_doc_idx').on(t.docType, t.docId)],
);
