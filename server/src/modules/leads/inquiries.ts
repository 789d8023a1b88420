import { sql } from 'drizzle-orm';
import { systemActor } from '../../kernel/access/actor.js';
import type { Db } from '../../kernel/db/client.js';
import { rowsOf } from '../../kernel/db/client.js';
import { DomainError } from '../../kernel/errors.js';
import { normaliseName } from '../../kernel/names.js';
import type { InquiryInput } from './leads.schemas.js';
import { insertLead, normalisePhone } from './leads.service.js';

/**
 * 网站询盘: the company website's contact form posts here without a login. The inquiry becomes a lead
 * with source 'website' (the fields kept as they came in leads.inquiry) and the assignment rules give it
 * to a rep or leave it in the pool.
 *
 * Abuse: a hidden honeypot field (`website`) that people leave empty — a filled one is answered like a
 * success and dropped; and at most INQUIRY_LIMIT_PER_HOUR inquiries per client IP per rolling hour,
 * counted in this process's memory (a restart forgets; several server processes each count their own).
 */
export const INQUIRY_LIMIT_PER_HOUR = 10;

export class InquiryRateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly limit = INQUIRY_LIMIT_PER_HOUR,
    private readonly windowMs = 3_600_000,
  ) {}
  /** Counts a request from `ip`; false when it is over the limit. */
  allow(ip: string, now = Date.now()): boolean {
    const recent = (this.hits.get(ip) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(ip, recent);
      return false;
    }
    recent.push(now);
    this.hits.set(ip, recent);
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (v.every((t) => t <= now - this.windowMs)) this.hits.delete(k);
    return true;
  }
}

/** The territory named by id, or by the city (within the province when given), or by the province. */
async function territoryOf(db: Db, input: InquiryInput): Promise<string | null> {
  if (input.territoryId) {
    const [t] = rowsOf<{ id: string }>(await db.execute(sql`select id from territories where id = ${input.territoryId}`));
    if (t) return t.id;
  }
  const province = input.province?.replace(/(省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)$/, '');
  const city = input.city?.replace(/(市|地区|自治州|盟)$/, '');
  if (city) {
    const [t] = rowsOf<{ id: string }>(
      await db.execute(sql`select c.id from territories c left join territories p on p.id = c.parent_id
        where c.level in ('city','county') and c.name like ${city + '%'} ${province ? sql`and (p.name like ${province + '%'} or c.path like (select '/' || pp.id || '/%' from territories pp where pp.level = 'province' and pp.name like ${province + '%'} limit 1))` : sql``}
        order by case c.level when 'city' then 0 else 1 end, c.id limit 1`),
    );
    if (t) return t.id;
  }
  if (province) {
    const [t] = rowsOf<{ id: string }>(await db.execute(sql`select id from territories where level = 'province' and name like ${province + '%'} order by id limit 1`));
    if (t) return t.id;
  }
  return null;
}

/** Records a website inquiry as a lead; returns null when the honeypot was filled (dropped). */
export async function receiveInquiry(db: Db, input: InquiryInput, ip: string | null): Promise<{ id: number; code: string } | null> {
  if (input.website && input.website.trim() !== '') return null;
  const territoryId = await territoryOf(db, input);
  const phone = normalisePhone(input.phone);
  if (!phone && !input.email) throw new DomainError('VALIDATION_FAILED', {}, 422, [{ path: 'phone', code: 'LEAD_INQUIRY_CONTACT_REQUIRED' }]);
  const actor = systemActor();
  return db.transaction(async (tx) => {
    const territory = territoryId ? rowsOf<{ path: string }>(await tx.execute(sql`select path from territories where id = ${territoryId}`))[0] : undefined;
    const organisation = input.organisation.trim();
    const { website: _, ...kept } = input;
    const created = await insertLead(
      tx,
      actor,
      {
        organisation,
        nameKey: normaliseName(organisation),
        contactName: input.contactName,
        contactTitle: null,
        phone,
        territoryId,
        territoryPath: territory?.path ?? null,
        address: [input.province, input.city].filter(Boolean).join(' ') || null,
        source: 'website',
        customerType: null,
        nextFollowUpOn: null,
        notes: [input.products ? `意向产品：${input.products}` : null, input.message].filter(Boolean).join('\n') || null,
        productIds: [],
        grade: 'C',
        lifecycleStage: 'lead',
        inquiry: { ...kept, ip, receivedAt: new Date().toISOString() },
      },
      'rules',
    );
    return { id: created.id, code: created.code };
  });
}

