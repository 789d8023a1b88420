
import type { Db, Tx } from '../../kernel/db/client.js';
import { notify } from '../../kernel/notify/notify.js';
import { getCrmSettings } from '../crm/crm.settings.js';
import { crmAlertsSent } from '../crm/crm.tables.js';
import { companyDateOf } from './activities.time.js';
import { neglectedCustomers, weekBirthdays } from './activities.service.js';

/**
 * The CRM's daily nudges to reps (issue 5 "Reminders"). Each alert reaches its owner once per
 * subject and period through crm_alerts_sent: the job inserts first and notifies only what it
 * inserted, so a second run (or a second server) sends nothing.
 */

const LIST_NAMES = 20;

/** Inserts the alerts not sent yet and returns the subject ids this call claimed. */
async function claim(tx: Tx, kind: string, rows: { subjectId: number; periodKey: string }[]): Promise<Set<number>> {
  const claimed = new Set<number>();
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const inserted = await tx
      .insert(crmAlertsSent)
      .values(chunk.map((r) => ({ kind, subjectId: r.subjectId, periodKey: r.periodKey })))
      .onConflictDoNothing()
      .returning({ subjectId: crmAlertsSent.subjectId });
    for (const r of inserted) claimed.add(r.subjectId);
  }
  return claimed;
}

function byOwner<T extends { ownerId: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) out.set(r.ownerId, [...(out.get(r.ownerId) ?? []), r]);
  return out;
}

const namesOf = (names: string[]) => names.slice(0, LIST_NAMES).join('、') + (names.length > LIST_NAMES ? ` …` : '');

/**
 * 久未联系 (daily): tells each owner once per episode about customers gone without contact beyond
 * their grade's days. The episode is keyed by the date of the last contact ('never' when none), so a
 * new contact ends it and the customer can be reported again when it goes quiet again.
 */
export async function runNeglectedAlerts(db: Db, now: Date, timeZone: string): Promise<number> {
  const settings = await getCrmSettings(db);
  return db.transaction(async (tx) => {
    const rows = await neglectedCustomers(tx, { dormantDays: settings.dormantDays, now });
    const claimed = await claim(
      tx,
      'neglected',
      rows.map((r) => ({ subjectId: r.customerId, periodKey: r.lastContactAt ? companyDateOf(r.lastContactAt, timeZone) : 'never' })),
    );
    let sent = 0;
    for (const [ownerId, list] of byOwner(rows.filter((r) => claimed.has(r.customerId)))) {
      const names = list.map((r) => r.customerName);
      sent += await notify(tx, {
        userIds: [ownerId],
        event: 'crm.neglected',
        title: { 'zh-CN': `${list.length} 个客户久未联系`, 'en-US': `${list.length} customers have not been contacted for a while` },
        body: { 'zh-CN': `${namesOf(names)}（共 ${list.length} 个）`, 'en-US': `${namesOf(names)} (${list.length} in all)` },
        link: '/follow-ups',
      });
    }
    return sent;
  });
}

/** 本周生日 (Mondays): one notification per owner listing this week's birthdays, once per contact and year. */
export async function runBirthdayAlerts(db: Db, now: Date, timeZone: string): Promise<number> {
  const today = companyDateOf(now, timeZone);
  return db.transaction(async (tx) => {
    const rows = await weekBirthdays(tx, { today });
    const claimed = new Set<string>();
    // The year of the day it is celebrated (a week can span New Year).
    for (const year of new Set(rows.map((r) => r.celebratedOn.slice(0, 4)))) {
      const ids = await claim(
        tx,
        'birthday',
        rows.filter((r) => r.celebratedOn.startsWith(year)).map((r) => ({ subjectId: r.contactId, periodKey: year })),
      );
      for (const id of ids) claimed.add(`${id}:${year}`);
    }
    let sent = 0;
    for (const [ownerId, list] of byOwner(rows.filter((r) => claimed.has(`${r.contactId}:${r.celebratedOn.slice(0, 4)}`)))) {
      const names = list.map((r) => `${r.contactName}（${r.customerName}，${r.celebratedOn.slice(5)}）`);
      sent += await notify(tx, {
        userIds: [ownerId],
        event: 'crm.birthdays',
        title: { 'zh-CN': `本周有 ${list.length} 位联系人过生日`, 'en-US': `${list.length} contacts have a birthday this week` },
        body: { 'zh-CN': namesOf(names), 'en-US': namesOf(names) },
        link: '/follow-ups?tab=birthdays',
      });
    }
    return sent;
  });
}

