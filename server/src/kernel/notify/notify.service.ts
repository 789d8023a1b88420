import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Actor } from '../access/actor.js';
import type { Db, Queryable } from '../db/client.js';
import { notFound } from '../errors.js';
import type { Page, PageQuery } from '../http/paging.js';
import { notifications } from './notify.tables.js';

/**
 * A user's inbox: everyone sees and marks only their own notifications (another user's id is "not
 * found", not "forbidden", so ids reveal nothing). Marking read is not audited: it changes nothing of
 * the business, only the reader's view.
 */
export type NotificationRow = typeof notifications.$inferSelect;

export async function listMyNotifications(db: Queryable, actor: Actor, filter: { unread?: boolean }, page: PageQuery): Promise<Page<NotificationRow>> {
  const where = and(eq(notifications.userId, actor.id), filter.unread ? isNull(notifications.readAt) : undefined)!;
  const [[{ n }], items] = await Promise.all([
    db.select({ n: count() }).from(notifications).where(where),
    db
      .select()
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  ]);
  return { items, total: Number(n), page: page.page, pageSize: page.pageSize };
}

export async function countMyUnread(db: Queryable, actor: Actor): Promise<number> {
  const [{ n }] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)));
  return Number(n);
}

export async function markNotificationRead(db: Db, actor: Actor, id: number): Promise<NotificationRow> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.id, id), eq(notifications.userId, actor.id)))
      .for('update');
    if (!row) throw notFound();
    if (row.readAt) return row;
    const [updated] = await tx.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, id)).returning();
    return updated;
  });
}

export async function markAllMyNotificationsRead(db: Db, actor: Actor): Promise<number> {
  const updated = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, actor.id), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return updated.length;
}
