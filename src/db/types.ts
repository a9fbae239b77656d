/** Value parsers shared by both engines so rows look the same whichever runs. */
export const PG_OID = { INT8: 20, DATE: 1082, NUMERIC: 1700 } as const;

/** bigint columns come back as numbers while they are safe integers (counts, sequence numbers). */
export function parseInt8(value: string): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value;
}

/** date columns stay ISO strings (YYYY-MM-DD): a date of birth has no time zone. */
export const parseDate = (value: string) => value;
