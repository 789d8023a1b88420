import { type AnyColumn, type SQL, asc, desc } from 'drizzle-orm';
import { z } from 'zod';

/** Query parameters every list accepts: page (1-based), pageSize (≤ 200), sort ("field" or "-field"). */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
  sort: z.string().max(40).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

/** Turns "-createdAt" into ORDER BY created_at DESC using the list's whitelist; unknown fields fall back to the default. */
export function orderByOf(sort: string | undefined, columns: Record<string, AnyColumn | SQL>, fallback: SQL[]): SQL[] {
  if (!sort) return fallback;
  const descending = sort.startsWith('-');
  const column = columns[descending ? sort.slice(1) : sort];
  if (!column) return fallback;
  return [descending ? desc(column) : asc(column), ...fallback];
}

/** A boolean that arrives as a query string. */
export const queryBoolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');
