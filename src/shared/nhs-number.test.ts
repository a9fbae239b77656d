import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsNumberDigits } from './nhs-number.js';

describe('NHS numbers', () => {
  it.each(['9434765919', '943 476 5919', '943-476-5919', '4010232137'])('%s is valid', (value) => {
    expect(isValidNhsNumber(value)).toBe(true);
  });

  it.each([
    ['9434765918', 'wrong check digit'],
    ['943476591', 'nine digits'],
    ['94347659199', 'eleven digits'],
    ['94347A5919', 'a letter'],
    ['', 'empty'],
    ['1000000010', 'check digit would be 10'],
  ])('%s is not valid (%s)', (value) => {
    expect(isValidNhsNumber(value)).toBe(false);
  });

  it('is shown 3-3-4', () => {
    expect(formatNhsNumber('9434765919')).toBe('943 476 5919');
    expect(nhsNumberDigits(' 943 476 5919 ')).toBe('9434765919');
  });

  it('accepts exactly one check digit for any nine digits whose check is not 10', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{9}$/), (nine) => {
        const valid = Array.from({ length: 10 }, (_, d) => `${nine}${d}`).filter(isValidNhsNumber);
        expect(valid.length).toBeLessThanOrEqual(1);
      }),
    );
  });
});
