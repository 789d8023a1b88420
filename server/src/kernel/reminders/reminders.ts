import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import { audit } from '../audit/audit.js';
import type { Db, Queryable } from '../db/client.js';
import { documentType } from '../documents/lifecycle.js';
import { DomainError, notFound } from '../errors.js';
import { notify } from '../notify/notify.js';
import { reminders } from './reminders.tables.js';

/**
 * Reminders: a user asks to be reminded at a moment, of a document they can see or of anything.
 * The `reminders.due` job sends due reminders to the inbox (and the user's chosen channels) once:
 * rows are claimed with FOR UPDATE SKIP LOCKED and marked sent in the same transaction.
 */
export type ReminderInput = { remindAt: Date; text: string; docType?: string | null; docId?: number | null };

export async function listReminders(db: Queryable, actor: Actor) {
  return db
    .select({ id: reminders.id, docType: reminders.docType, docId: reminders.docId, remindAt: reminders.remindAt, text: reminders.text, sentAt: reminders.sentAt })
    .from(reminders)
    .where(eq(reminders.userId, actor.id))
    .orderBy(sql`${reminders.sentAt} is not null`, asc(reminders.remindAt))
    .limit(200);
}

export async function createReminder(db: Db, actor: Actor, input: ReminderInput) {
  if (input.remindAt.getTime() < Date.now() - 60_000) {
    throw new DomainError('REMINDER_IN_PAST', {}, 422, [{ path: 'remindAt', code: 'REMINDER_IN_PAST' }]);
  }
  const about = input.docType && input.docId ? { docType: input.docType, docId: input.docId } : null;
  if (about && !(await documentType(about.docType).loadVisible(db, actor, about.docId))) throw notFound();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(reminders)
      .values({ userId: actor.id, docType: about?.docType ?? null, docId: about?.docId ?? null, remindAt: input.remindAt, text: input.text })
      .returning();
    await audit(tx, actor, { action: 'reminder.created', entity: 'reminder', entityId: row.id, after: row });
    return row;
  });
}

export async function deleteReminder(db: Db, actor: Actor, id: number) {
  await db.transaction(async (tx) => {
    const [row] = await tx.select().from(reminders).where(and(eq(reminders.id, id), eq(reminders.userId, actor.id))).for('update');
    if (!row) throw notFound();
    await tx.delete(reminders).where(eq(reminders.id, id));
    await audit(tx, actor, { action: 'reminder.deleted', entity: 'reminder', entityId: id, before: row });
  });
}

/** Sends every due, unsent reminder once; returns how many went out. */
export async function sendDueReminders(db: Db, now = new Date()): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(reminders)
      .where(and(isNull(reminders.sentAt), lte(reminders.remindAt, now)))
      .orderBy(asc(reminders.remindAt))
      .limit(1000)
      .for('update', { skipLocked: true });
    for (const r of due) {
      const def = r.docType ? documentType(r.docType) : null;
      const [doc] = def && r.docId ? await def.summaries(tx, [r.docId]) : [];
      await notify(tx, {
        userIds: [r.userId],
        event: 'reminder.due',
        title: doc ? { 'zh-CN': `提醒：${doc.number}`, 'en-US': `Reminder: ${doc.number}` } : { 'zh-CN': '提醒', 'en-US': 'Reminder' },
        body: r.text,
        link: def?.link && r.docId ? def.link(r.docId) : r.link,
      });
    }
    if (due.length) await tx.update(reminders).set({ sentAt: now }).where(sql`${reminders.id} in (${sql.join(due.map((r) => sql`${r.id}`), sql`, `)})`);
    return due.length;
  });
}

/**
 * For modules that remind a user of their own work (a follow-up date): inside the caller's
 * transaction, no audit of its own (the caller audits the change that made it). Sent once by
 * the reminders.due job, like any reminder.
 */
export async function scheduleReminder(tx: Queryable, input: { userId: number; remindAt: Date; text: string; link?: string | null }): Promise<number> {
  const [row] = await tx
    .insert(reminders)
    .values({ userId: input.userId, remindAt: input.remindAt, text: input.text, link: input.link ?? null })
    .returning({ id: reminders.id });
  return row.id;
}

/** Withdraws a scheduled reminder that has not gone out yet; one already sent stays as the record. */
export async function cancelReminder(tx: Queryable, id: number): Promise<void> {
  await tx.delete(reminders).where(and(eq(reminders.id, id), isNull(reminders.sentAt)));
}
