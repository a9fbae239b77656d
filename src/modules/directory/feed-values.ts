/** Reading loosely typed feed values (JSON or CSV rows). */

export type Raw = Record<string, unknown>;

export const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Text with zero-width characters (invisible junk pasted from web pages) removed, trimmed. */
export const str = (value: unknown): string =>
  typeof value === 'string' ? value.replace(/[\u200B-\u200D\uFEFF]/g, '').trim() : typeof value === 'number' ? String(value) : '';
