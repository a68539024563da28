/**
 * Check-digit algorithms for Taiwanese identifiers and payment cards. Pure functions over
 * ASCII strings (callers fold full-width forms first).
 */

/** Letter → two-digit area code used by 身分證 and 居留證 (note I, O, W, X, Y, Z are out of order). */
const AREA_CODES: Readonly<Record<string, number>> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

const ID_WEIGHTS = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1] as const;

function weightedIdSum(digits: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < ID_WEIGHTS.length; index += 1) sum += (digits[index] ?? 0) * (ID_WEIGHTS[index] ?? 0);
  return sum;
}

/** Area code digits followed by the 9 characters after the letter, or undefined if malformed. */
function idDigits(id: string, secondAsLetter: boolean): number[] | undefined {
  const upper = id.toUpperCase();
  const area = AREA_CODES[upper[0] ?? ''];
  if (area === undefined || upper.length !== 10) return undefined;
  const digits = [Math.floor(area / 10), area % 10];
  for (let index = 1; index < 10; index += 1) {
    const character = upper[index] ?? '';
    if (index === 1 && secondAsLetter) {
      const code = AREA_CODES[character];
      if (code === undefined) return undefined;
      // Old resident certificates: the gender letter counts with the last digit of its code.
      digits.push(code % 10);
    } else {
      if (character < '0' || character > '9') return undefined;
      digits.push(character.charCodeAt(0) - 48);
    }
  }
  return digits;
}

/** 身分證字號: letter, 1 or 2, seven digits, check digit. */
export function isValidTaiwanNationalId(id: string): boolean {
  if (!/^[A-Za-z][12]\d{8}$/.test(id)) return false;
  const digits = idDigits(id, false);
  return digits !== undefined && weightedIdSum(digits) % 10 === 0;
}

/**
 * 居留證號 (Alien Resident Certificate). New format since 2021: letter, 8 or 9, seven digits,
 * check digit — same weights as the national ID. Old format: two letters (area, then A–D), seven
 * digits, check digit.
 */
export function isValidTaiwanResidentId(id: string): boolean {
  if (/^[A-Za-z][89]\d{8}$/.test(id)) {
    const digits = idDigits(id, false);
    return digits !== undefined && weightedIdSum(digits) % 10 === 0;
  }
  if (/^[A-Za-z][A-Da-d]\d{8}$/.test(id)) {
    const digits = idDigits(id, true);
    return digits !== undefined && weightedIdSum(digits) % 10 === 0;
  }
  return false;
}

const UBN_WEIGHTS = [1, 2, 1, 2, 1, 2, 4, 1] as const;

/**
 * 統一編號 check. Each digit times its weight, the digits of each product summed. Since 2023 the
 * total must be divisible by 5 (previously 10; every old number still passes). When the 7th
 * digit is 7 its product 28 gives 10, which may count as 1 or 0, so either total may pass.
 */
export function isValidTaiwanUbn(ubn: string): boolean {
  if (!/^\d{8}$/.test(ubn)) return false;
  let sum = 0;
  for (let index = 0; index < 8; index += 1) {
    const product = (ubn.charCodeAt(index) - 48) * (UBN_WEIGHTS[index] ?? 0);
    sum += Math.floor(product / 10) + (product % 10);
  }
  if (sum % 5 === 0) return true;
  // 7th digit 7: `sum` counted its 10 in full; the rule also allows reading it as 1 (1+0).
  return ubn[6] === '7' && (sum - 9) % 5 === 0;
}

/** Luhn mod-10 over a string of digits. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let value = digits.charCodeAt(index) - 48;
    if (double) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    sum += value;
    double = !double;
  }
  return sum % 10 === 0;
}
