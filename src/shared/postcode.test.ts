import { describe, expect, it } from 'vitest';
import { normalisePostcode, normalisePostcodeOrOutward } from './postcode.js';

describe('postcodes', () => {
  it.each([
    ['dn156er', 'DN15 6ER'],
    [' DN15  6ER ', 'DN15 6ER'],
    ['sw1a1aa', 'SW1A 1AA'],
    ['m11ae', 'M1 1AE'],
    ['b338th', 'B33 8TH'],
  ])('%s is %s', (input, expected) => expect(normalisePostcode(input)).toBe(expected));

  it.each(['', 'DN15', 'DN15 6E', '123 456', 'DN15 6ERX', 'not a postcode'])('%s is not a full postcode', (input) => {
    expect(normalisePostcode(input)).toBeUndefined();
  });

  it('accepts an outward code alone where a partial postcode will do', () => {
    expect(normalisePostcodeOrOutward('dn15')).toEqual({ outward: 'DN15' });
    expect(normalisePostcodeOrOutward('dn15 6er')).toEqual({ postcode: 'DN15 6ER', outward: 'DN15' });
    expect(normalisePostcodeOrOutward('15DN')).toBeUndefined();
  });
});
