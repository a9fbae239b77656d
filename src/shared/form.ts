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
