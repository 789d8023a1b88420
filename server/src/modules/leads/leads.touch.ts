import { sql } from 'drizzle-orm';
import type { Queryable } from '../../kernel/db/client.js';
import { leads } from './leads.tables.js';

/**
 * The owner acted on the lead (logged an activity, changed its grade, edited it): the reclaim clock
 * (crm_settings.lead_reclaim_days) starts again from `at`. Only the owner's actions count.
 */
export async function touchLead(tx: Queryable, leadId: number, actorId: number, at: Date = new Date()): Promise<void> {
  await tx
    .update(leads)
    .set({ lastActedAt: sql`greatest(coalesce(${leads.lastActedAt}, ${at}), ${at})` })
    .where(sql`${leads.id} = ${leadId} and ${leads.ownerId} = ${actorId}`);
}
