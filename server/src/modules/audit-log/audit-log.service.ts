import { type SQL, and, count, desc, eq, gte, lt } from 'drizzle-orm';
import { auditLog } from '../../kernel/audit/audit.tables.js';
import type { Queryable } from '../../kernel/db/client.js';
import type { Page, PageQuery } from '../../kernel/http/paging.js';

/** Browsing the audit log (administrators and management); newest first. */
export type AuditFilter = { actorId?: number; entity?: string; entityId?: string; action?: string; from?: string; to?: string };

export type AuditEntry = {
  seq: number;
  at: Date;
  actor: { id: number; displayName: string } | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  ip: string | null;
};

/** `to` is inclusive of the whole day: entries before the next midnight (company time zone). */
function dayStart(date: string, timeZone: string, plusDays = 0): Date {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + plusDays);
  const offsetMinutes = zoneOffsetMinutes(d, timeZone);
  return new Date(d.getTime() - offsetMinutes * 60_000);
}

function zoneOffsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

export async function listAudit(db: Queryable, filter: AuditFilter, page: PageQuery, timeZone: string): Promise<Page<AuditEntry>> {
  const parts: (SQL | undefined)[] = [
    filter.actorId !== undefined ? eq(auditLog.actorId, filter.actorId) : undefined,
    filter.entity ? eq(auditLog.entity, filter.entity) : undefined,
    filter.entityId ? eq(auditLog.entityId, filter.entityId) : undefined,
    filter.action ? eq(auditLog.action, filter.action) : undefined,
    filter.from ? gte(auditLog.at, dayStart(filter.from, timeZone)) : undefined,
    filter.to ? lt(auditLog.at, dayStart(filter.to, timeZone, 1)) : undefined,
  ];
  const where = and(...parts);
  const [[{ n }], rows] = await Promise.all([
    db.select({ n: count() }).from(auditLog).where(where),
    db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(desc(auditLog.seq))
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize),
  ]);
  return {
    items: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actorId === null ? null : { id: r.actorId, displayName: r.actorName ?? '' },
      action: r.action,
      entity: r.entity,
      entityId: r.entityId,
      before: r.before,
      after: r.after,
      ip: r.ip,
    })),
    total: Number(n),
    page: page.page,
    pageSize: page.pageSize,
  };
}
