import { inArray } from 'drizzle-orm';
import { users } from '../access/access.tables.js';
import type { Tx } from '../db/client.js';
import type { Locale } from '../i18n.js';
import { queueDeliveries } from './channels.js';
import { notifications } from './notify.tables.js';

/**
 * Tells users that something happened. Called inside the caller's transaction, so a notification
 * exists exactly when the change it describes committed. The text is stored in each recipient's
 * language (users.locale) at the time of the event. Outbound copies (e-mail, WeCom, DingTalk) are
 * queued in the same transaction for the channels each recipient chose (channels.ts).
 */
export type LocalizedText = string | Record<Locale, string>;

export type NotifyInput = {
  userIds: number[];
  /** A stable event code, e.g. 'user.password_reset'. */
  event: string;
  title: LocalizedText;
  body?: LocalizedText;
  /** An app path to open, e.g. '/admin/users?q=li.lei'. */
  link?: string | null;
};

const textIn = (text: LocalizedText | undefined, locale: Locale) => (text === undefined ? '' : typeof text === 'string' ? text : text[locale]);

export async function notify(tx: Tx, input: NotifyInput): Promise<number> {
  const ids = [...new Set(input.userIds)];
  if (ids.length === 0) return 0;
  const recipients = await tx.select({ id: users.id, locale: users.locale }).from(users).where(inArray(users.id, ids)).orderBy(users.id);
  if (recipients.length === 0) return 0;
  const written = await tx.insert(notifications).values(
    recipients.map((u) => ({
      userId: u.id,
      event: input.event,
      title: textIn(input.title, u.locale).slice(0, 200),
      body: textIn(input.body, u.locale),
      link: input.link ?? null,
    })),
  ).returning();
  await queueDeliveries(tx, written);
  return written.length;
}
