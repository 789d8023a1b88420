import type { Queryable } from '../../kernel/db/client.js';
import type { LifecycleStage } from '../customers/customers.tables.js';
import { customerStageHistory } from './leads.tables.js';

/**
 * 生命周期 history of customers: every change of customers.lifecycle_stage is written here with its
 * time and actor (customers.service calls this on create and edit), so the lifecycle report can say
 * how long customers have been in their stage and where they stall.
 */
export async function recordCustomerStage(
  tx: Queryable,
  input: { customerId: number; from: LifecycleStage | null; to: LifecycleStage; actorId: number | null; at?: Date },
): Promise<void> {
  if (input.from === input.to) return;
  await tx.insert(customerStageHistory).values({
    customerId: input.customerId,
    fromStage: input.from,
    toStage: input.to,
    actorId: input.actorId || null,
    at: input.at ?? new Date(),
  });
}
