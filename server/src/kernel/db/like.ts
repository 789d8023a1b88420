import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { searchQuery } from '../pinyin.js';

/** A LIKE / ILIKE pattern that finds `text` anywhere, with % _ and \ in the user's text taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

/**
 * What the user typed, found in a kernel/pinyin.ts `search_text` column (name, pinyin, initials…):
 * `column like '%q%'` on the trigram index; undefined when nothing is left to search for.
 */
export function searchTextMatches(column: AnyColumn, typed: string | undefined): SQL | undefined {
  const q = typed ? searchQuery(typed) : '';
  return q ? sql`${column} like ${containsPattern(q)}` : undefined;
}
