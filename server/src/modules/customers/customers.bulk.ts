import { sql } from 'drizzle-orm';
import { type Tx, rowsOf } from '../../kernel/db/client.js';
import { normaliseName } from '../../kernel/names.js';
import { customerSearchText } from './customers.service.js';
import { type CustomerGrade, type CustomerSource, type CustomerType, type HospitalGrade, type LifecycleStage, customers } from './customers.tables.js';

/**
 * Many customers at once, for the Excel import (customers.import.ts) and the demo and scale
 * generators (server/src/demo): one statement per few thousand rows instead of createCustomer's
 * per-row checks. The callers have already done those checks in bulk (valid credit codes and
 * territories, no duplicate name key or credit code in the batch or in the database); the unique
 * indexes still refuse a duplicate that slips in concurrently. The name key and search text are
 * computed here exactly as createCustomer computes them. Auditing is the caller's.
 */
export type NewCustomerRow = {
  /** An existing 客户编码 to keep (from an ERP); null/absent = the next KH… from the sequence. */
  code?: string | null;
  name: string;
  shortName: string | null;
  aliases: string[];
  creditCode: string | null;
  type: CustomerType;
  territoryId: string;
  territoryPath: string;
  address: string;
  hospitalGrade: HospitalGrade | null;
  hospitalDepartments: string[];
  ownerId: number | null;
  ownerDepartmentId: number | null;
  source: CustomerSource | null;
  lifecycleStage: LifecycleStage;
  grade: CustomerGrade | null;
  creditLimitFen: bigint;
  paymentTermsDays: number;
  invoiceTitle: string | null;
  taxNumber: string | null;
  bankName: string | null;
  bankAccount: string | null;
  invoiceAddress: string | null;
  invoicePhone: string | null;
  phone: string | null;
  notes: string | null;
};

const INSERT_CHUNK = 5000;

/**
 * Writes planned customers in chunks of INSERT_CHUNK rows, each one `insert … select from
 * jsonb_to_recordset($1)` with the whole chunk as a single JSON parameter (PGlite parses one
 * parameter far faster than 30 per row); codes are the rows' own (an ERP's, from an import) or
 * come from customer_code_seq, one round trip per chunk. Returns the ids and codes in the plans' order.
 */
export async function insertCustomersInBulk(tx: Tx, plans: NewCustomerRow[], createdBy: number | null): Promise<{ id: number; code: string }[]> {
  const out: { id: number; code: string }[] = [];
  for (let i = 0; i < plans.length; i += INSERT_CHUNK) {
    const chunk = plans.slice(i, i + INSERT_CHUNK);
    const wanted = chunk.filter((p) => !p.code).length;
    const fresh = wanted
      ? rowsOf<{ code: string }>(
          await tx.execute(sql`select 'KH' || lpad(nextval('customer_code_seq')::text, 6, '0') as code from generate_series(1, ${wanted}::int) order by 1`),
        ).map((r) => r.code)
      : [];
    let next = 0;
    const codes = chunk.map((p) => p.code || fresh[next++]!);
    const json = JSON.stringify(
      chunk.map((p, j) => ({
        ...p,
        creditLimitFen: p.creditLimitFen.toString(),
        code: codes[j]!,
        nameKey: normaliseName(p.name),
        searchText: customerSearchText({ name: p.name, shortName: p.shortName, aliases: p.aliases, code: codes[j]!, creditCode: p.creditCode }),
      })),
    );
    const inserted = rowsOf<{ id: number; code: string }>(
      await tx.execute(sql`
        insert into ${customers} (code, name, short_name, aliases, name_key, credit_code, type, territory_id, territory_path, address,
          hospital_grade, hospital_departments, owner_id, owner_department_id, source, lifecycle_stage, grade, credit_limit_fen,
          payment_terms_days, invoice_title, tax_number, bank_name, bank_account, invoice_address, invoice_phone, phone, notes,
          search_text, created_by)
        select x.code, x.name, x."shortName", array(select jsonb_array_elements_text(x.aliases)), x."nameKey", x."creditCode", x.type,
          x."territoryId", x."territoryPath", x.address, x."hospitalGrade", array(select jsonb_array_elements_text(x."hospitalDepartments")),
          x."ownerId", x."ownerDepartmentId", x.source, x."lifecycleStage", x.grade, x."creditLimitFen"::bigint, x."paymentTermsDays",
          x."invoiceTitle", x."taxNumber", x."bankName", x."bankAccount", x."invoiceAddress", x."invoicePhone", x.phone, x.notes,
          x."searchText", ${createdBy}::int
        from jsonb_to_recordset(${json}::jsonb) as x(code text, name text, "shortName" text, aliases jsonb, "nameKey" text,
          "creditCode" text, type text, "territoryId" text, "territoryPath" text, address text, "hospitalGrade" text,
          "hospitalDepartments" jsonb, "ownerId" int, "ownerDepartmentId" int, source text, "lifecycleStage" text, grade text,
          "creditLimitFen" text, "paymentTermsDays" int, "invoiceTitle" text, "taxNumber" text, "bankName" text, "bankAccount" text,
          "invoiceAddress" text, "invoicePhone" text, phone text, notes text, "searchText" text)
        returning id, code`),
    );
    const idOf = new Map(inserted.map((r) => [r.code, Number(r.id)]));
    out.push(...codes.map((code) => ({ id: idOf.get(code)!, code })));
  }
  if (plans.length > 0) await cleanSearchIndexes(tx);
  return out;
}

/**
 * Moves the trigram indexes' pending entries into the index proper. A bulk insert leaves them in the
 * GIN pending list, which every search then reads in full until (auto)vacuum gets round to it: on the
 * embedded PGlite, which has no autovacuum, a search of 23,000 fresh customers took 17 ms instead of
 * under 1 ms. Cleaning costs about 120 ms for those 23,000 rows, once.
 */
async function cleanSearchIndexes(tx: Tx): Promise<void> {
  await tx.execute(sql`select gin_clean_pending_list('customers_search_trgm_idx'::regclass), gin_clean_pending_list('customers_name_key_trgm_idx'::regclass)`);
}
