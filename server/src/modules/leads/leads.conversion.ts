import { eq } from 'drizzle-orm';
import { type Actor, can } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Db } from '../../kernel/db/client.js';
import { DomainError } from '../../kernel/errors.js';
import { createApplication } from '../customers/applications.service.js';
import { assertNotDuplicateLead, lockLead } from './leads.service.js';
import { leadEvents, leads } from './leads.tables.js';

/**
 * 转为开户申请: a lead becomes a DRAFT account opening (customers/applications.service.ts) prefilled
 * from the lead; the lead is 'converting' until the opening is approved (→ 'converted', the customer
 * takes its history: lead-conversion-hooks.ts) or cancelled (→ 'open' again). The owner or an
 * assigner converts; the organisation must not already be a customer.
 */
export async function convertLead(db: Db, actor: Actor, id: number, timeZone: string): Promise<{ applicationId: number }> {
  if (!can(actor, 'customer_applications.create')) throw new DomainError('FORBIDDEN', {}, 403);
  return db.transaction(async (tx) => {
    const lead = await lockLead(tx, actor, id);
    if (lead.status !== 'open') throw new DomainError('LEAD_WRONG_STATUS', { status: lead.status }, 409);
    if (!lead.territoryId) throw new DomainError('LEAD_TERRITORY_REQUIRED', {}, 422, [{ path: 'territoryId', code: 'LEAD_TERRITORY_REQUIRED' }]);
    await assertNotDuplicateLead(tx, lead.nameKey, true, id);
    const contact = [lead.contactName, lead.contactTitle ? `（${lead.contactTitle}）` : '', lead.phone ? ` ${lead.phone}` : ''].join('').trim();
    const notes = [contact ? `联系人：${contact}` : null, lead.notes].filter(Boolean).join('\n') || null;
    // The application's own transaction becomes a savepoint of this one: lead and draft commit together.
    const application = await createApplication(
      tx as unknown as Db,
      actor,
      {
        name: lead.organisation,
        type: lead.customerType ?? 'other',
        territoryId: lead.territoryId,
        address: lead.address,
        source: lead.source,
        phone: lead.phone,
        grade: lead.grade,
        lifecycleStage: lead.lifecycleStage,
        notes,
        proposedOwnerId: lead.ownerId,
        reason: `由线索 ${lead.code} 转入`,
        documents: [],
      },
      timeZone,
    );
    const at = new Date();
    await tx.update(leads).set({ status: 'converting', applicationId: application.id, version: lead.version + 1, updatedAt: at }).where(eq(leads.id, id));
    if (lead.ownerId === actor.id) await tx.update(leads).set({ lastActedAt: at }).where(eq(leads.id, id));
    await tx.insert(leadEvents).values({ leadId: id, kind: 'converting', at, actorId: actor.id, details: { applicationId: application.id, number: application.number } });
    await audit(tx, actor, { action: 'lead.converting', entity: 'lead', entityId: id, before: { status: lead.status }, after: { status: 'converting', applicationId: application.id } });
    return { applicationId: application.id };
  });
}
