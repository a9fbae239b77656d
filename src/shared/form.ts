/** Reading untyped form or JSON input into trimmed strings, for validation functions. */
export function text(input: unknown, field: string): string {
  if (!input || typeof input !== 'object') return '';
  const value = (input as Record<string, unknown>)[field];
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return '';
}

/** A UUID shape check, so a malformed id is "not found" rather than a database error. */
export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

/** Only local paths, so a `next` parameter cannot send someone to another site. */
export function safeLocalPath(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : undefined;
}

/** A repeated form or query field (checkboxes, `day=1&day=2`) as trimmed strings, blanks left out. */
export function textList(input: unknown, field: string, max = 50): string[] {
  if (!input || typeof input !== 'object') return [];
  const value = (input as Record<string, unknown>)[field];
  return (Array.isArray(value) ? (value as unknown[]) : [value])
    .map((item) => (typeof item === 'string' ? item.trim() : typeof item === 'number' ? String(item) : ''))
    .filter(Boolean)
    .slice(0, max);
}

/** A SQL LIKE pattern matching `text` anywhere, with its own % and _ taken literally. */
export const containsPattern = (text: string) => `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
