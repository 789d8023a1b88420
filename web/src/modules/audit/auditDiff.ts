export type JsonObject = Record<string, unknown>;

export interface DiffLine {
  key: string;
  text: string;
  changed: boolean;
}

function stable(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as JsonObject).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** Top-level keys whose value differs between before and after (added and removed keys count). */
export function changedKeys(before: JsonObject | null, after: JsonObject | null): Set<string> {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  const changed = new Set<string>();
  for (const key of keys) {
    const inBefore = before !== null && Object.prototype.hasOwnProperty.call(before, key);
    const inAfter = after !== null && Object.prototype.hasOwnProperty.call(after, key);
    if (inBefore !== inAfter || stable(before?.[key]) !== stable(after?.[key])) changed.add(key);
  }
  return changed;
}

/** One line per top-level key, pretty-printed, so the two sides can be read next to each other. */
export function jsonLines(value: JsonObject | null, changed: Set<string>): DiffLine[] {
  if (value === null) return [];
  return Object.entries(value).map(([key, v]) => ({
    key,
    text: `${JSON.stringify(key)}: ${JSON.stringify(v, null, 2)?.replace(/\n/g, '\n  ') ?? 'undefined'}`,
    changed: changed.has(key),
  }));
}
