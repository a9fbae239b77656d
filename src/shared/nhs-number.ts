/**
 * NHS numbers: 10 digits, the last a modulus 11 check digit (NHS Data Dictionary).
 * Weights 10..2 on the first nine digits; check = 11 - (sum mod 11); 11 → 0; 10 → invalid.
 */
export function nhsNumberDigits(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{10}$/.test(digits) ? digits : undefined;
}

export function isValidNhsNumber(input: string): boolean {
  const digits = nhsNumberDigits(input);
  if (!digits) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === Number(digits[9]);
}

/** Shown as 3-3-4: "943 476 5919". */
export function formatNhsNumber(digits: string): string {
  return `${digits.slice(0, 3)} ${digits.slice(3, 6)} ${digits.slice(6)}`;
}
