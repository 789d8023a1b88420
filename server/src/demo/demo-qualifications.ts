import { sql } from 'drizzle-orm';
import { todayIn } from '../kernel/approvals/approvals.service.js';
import type { Tx } from '../kernel/db/client.js';
import { REQUIRED_QUALIFICATIONS, recomputeQualificationStates } from '../modules/customers/qualifications.js';

/**
 * The demo customers' qualification documents (营业执照, 药品经营许可证, 医疗机构执业许可证 as their type
 * requires), so that the customer list looks like a real office's: most files complete, about 5 in
 * 100 with a document expiring within 30 days, 4 in 100 expired and 3 in 100 missing one — the
 * cases the office chases. Chosen from the customer id, so every demo company looks the same.
 * Set-based (one INSERT … SELECT), then the customers' qualification state is computed once.
 */
export async function loadDemoQualifications(tx: Tx, timeZone = process.env.TIME_ZONE || 'Asia/Shanghai'): Promise<void> {
  const today = todayIn(timeZone);
  const required = sql.join(
    Object.entries(REQUIRED_QUALIFICATIONS).flatMap(([type, kinds]) => kinds.map((kind, i) => sql`(${type}::text, ${kind}::text, ${i}::int)`)),
    sql`, `,
  );
  await tx.execute(sql`
    with req(type, kind, position) as (values ${required}),
    plan as (
      select c.id, c.credit_code, r.kind, r.position, (c.id * 7919) % 100 as bucket
      from customers c join req r on r.type = c.type
      where not exists (select 1 from customer_qualifications q where q.customer_id = c.id)
    )
    insert into customer_qualifications (customer_id, kind, number, issued_on, expires_on)
    select id, kind,
      case kind
        when 'business_licence' then coalesce(credit_code, 'YYZZ' || lpad(id::text, 8, '0'))
        when 'drug_operation_licence' then 'YPJY' || lpad(id::text, 8, '0')
        else 'PDY' || lpad((id * 37)::text, 9, '0')
      end,
      ${today}::date - (365 + id % 900),
      case
        when bucket between 3 and 6 and position = 0 then ${today}::date - (1 + id % 60)
        when bucket between 7 and 11 and position = 0 then ${today}::date + (1 + id % 28)
        when kind = 'business_licence' then null
        else ${today}::date + (200 + (id * 13) % 1500)
      end
    from plan
    where not (bucket < 3 and position = 0)`);
  await recomputeQualificationStates(tx, today);
}
