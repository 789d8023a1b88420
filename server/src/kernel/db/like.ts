/** A LIKE / ILIKE pattern that finds `text` anywhere, with % _ and \ in the user's text taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}
