import fc from 'fast-check';

/**
 * Restricted values the policy must keep off the `api` tier: valid Taiwan national IDs (letter +
 * 1/2 + 7 digits + check digit) and Luhn-valid 16-digit Visa numbers. Generated, not listed, so
 * no test tunes to a fixed value. Test support only.
 */

/** Letter → the two-digit code the national ID checksum uses. */
const LETTER_CODES: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

export function taiwanNationalId(letter: string, gender: 1 | 2, digits: readonly number[]): string {
  const code = LETTER_CODES[letter] ?? 10;
  const body = [gender, ...digits.slice(0, 7)];
  let sum = Math.floor(code / 10) + (code % 10) * 9;
  body.forEach((digit, index) => (sum += digit * (8 - index)));
  const check = (10 - (sum % 10)) % 10;
  return `${letter}${body.join('')}${check}`;
}

export function luhnCard(prefix: string, digits: readonly number[]): string {
  const partial = (prefix + digits.join('')).slice(0, 15);
  let sum = 0;
  for (let index = 0; index < partial.length; index += 1) {
    // Positions counted from the right of the final 16-digit number: the check digit is position 1.
    let digit = Number(partial[partial.length - 1 - index]);
    if (index % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return partial + String((10 - (sum % 10)) % 10);
}

export const nationalIdArbitrary = fc
  .tuple(fc.constantFrom(...Object.keys(LETTER_CODES)), fc.constantFrom<1 | 2>(1, 2), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 7, maxLength: 7 }))
  .map(([letter, gender, digits]) => taiwanNationalId(letter, gender, digits));

export const cardArbitrary = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 14, maxLength: 14 })
  .map((digits) => luhnCard('4', digits));

/** Either kind, tagged with the entity type the detectors report for it. */
export const restrictedValueArbitrary = fc.oneof(
  nationalIdArbitrary.map((value) => ({ entity: 'TW_NATIONAL_ID', value })),
  cardArbitrary.map((value) => ({ entity: 'CREDIT_CARD', value })),
);
