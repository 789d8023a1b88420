import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../kernel/access/actor.js';
import { audit } from '../../kernel/audit/audit.js';
import type { Tx } from '../../kernel/db/client.js';
import type { LifecycleStage } from '../customers/customers.tables.js';
import { customerStageHistory, leadEvents, leads } from './leads.tables.js';

/**
 * What happens to a lead when the account opening made from it (leads.conversion.ts) ends. Called
 * from customers/applications.service.ts inside its transaction; a no-op for applications that did
 * not come from a lead.
 *
 * Approved: the lead is 'converted' and points at the customer; the customer takes the lead's grade
 * and lifecycle stage; the lead's activities also belong to the customer (lead_id kept); the lead's
 * creation and its stage changes become the customer's stage history with their original times.
 */
export async function markLeadConverted(tx: Tx, actor: Actor, applicationId: number, customerId: number, at: Date = new Date()): Promise<void> {
  const [lead] = await tx.select().from(leads).where(and(eq(leads.applicationId, applicationId), eq(leads.status, 'converting'))).for('update');
  if (!lead) return;
  await tx.update(leads).set({ status: 'converted', customerId, version: lead.version + 1, updatedAt: at }).where(eq(leads.id, lead.id));
  await tx.execute(sql`update customers set grade = ${lead.grade}, lifecycle_stage = ${lead.lifecycleStage} where id = ${customerId}`);
  await tx.execute(sql`update activities set customer_id = ${customerId} where lead_id = ${lead.id} and customer_id is null`);
  const events = await tx
    .select()
    .from(leadEvents)
    .where(and(eq(leadEvents.leadId, lead.id), inArray(leadEvents.kind, ['created', 'staged'])))
    .orderBy(asc(leadEvents.at), asc(leadEvents.id));
  // The customer's history is the lead's: the row createCustomer wrote for "now" is replaced.
  await tx.delete(customerStageHistory).where(eq(customerStageHistory.customerId, customerId));
  const rows = events.map((e) =>
    e.kind === 'created'
      ? { customerId, fromStage: null, toStage: ((e.details.stage as LifecycleStage | undefined) ?? 'lead') as LifecycleStage, at: lead.createdAt, actorId: e.actorId }
      : { customerId, fromStage: e.details.from as LifecycleStage, toStage: e.details.to as LifecycleStage, at: e.at, actorId: e.actorId },
  );
  if (rows.length) await tx.insert(customerStageHistory).values(rows);
  await tx.insert(leadEvents).values({ leadId: lead.id, kind: 'converted', at, actorId: actor.id || null, details: { customerId, applicationId } });
  await audit(tx, actor, { action: 'lead.converted', entity: 'lead', entityId: lead.id, before: { status: lead.status }, after: { status: 'converted', customerId } });
}

/** Cancelled: the lead is open again (its owner keeps it). */
export async function reopenLeadOfCancelledApplication(tx: Tx, actor: Actor, applicationId: number, at: Date = new Date()): Promise<void> {
  const [lead] = await tx.select().from(leads).where(and(eq(leads.applicationId, applicationId), eq(leads.status, 'converting'))).for('update');
  if (!lead) return;
  await tx.update(leads).set({ status: 'open', applicationId: null, version: lead.version + 1, updatedAt: at }).where(eq(leads.id, lead.id));
  await tx.insert(leadEvents).values({ leadId: lead.id, kind: 'reopened', at, actorId: actor.id || null, details: { applicationId, cancelled: true } });
  await audit(tx, actor, { action: 'lead.conversion_cancelled', entity: 'lead', entityId: lead.id, before: { status: 'converting', applicationId }, after: { status: 'open' } });
}
