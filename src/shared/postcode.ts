/** UK postcodes: validation and the standard form ("dn156er" → "DN15 6ER"). */

const FULL = /^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$/;
const OUTWARD = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/;

export function normalisePostcode(input: string): string | undefined {
  const compact = input.toUpperCase().replace(/\s+/g, '');
  const match = FULL.exec(compact);
  return match ? `${match[1]} ${match[2]}` : undefined;
}

/** A full postcode or just its outward code (the district, e.g. "DN15"), in standard form. */
export function normalisePostcodeOrOutward(input: string): { postcode?: string; outward: string } | undefined {
  const full = normalisePostcode(input);
  if (full) return { postcode: full, outward: full.split(' ')[0]! };
  const compact = input.toUpperCase().replace(/\s+/g, '');
  return OUTWARD.test(compact) ? { outward: compact } : undefined;
}
