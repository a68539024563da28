import { describe, expect, it } from 'vitest';
import { isValidTaiwanNationalId, isValidTaiwanResidentId, isValidTaiwanUbn, passesLuhn } from './checksums.js';

describe('checksums', () => {
  it('accepts national IDs with a correct check digit in either case and rejects a wrong one', () => {
    expect(isValidTaiwanNationalId('A123456789')).toBe(true);
    expect(isValidTaiwanNationalId('a123456789')).toBe(true);
    expect(isValidTaiwanNationalId('F222333444')).toBe(true);
    expect(isValidTaiwanNationalId('A123456788')).toBe(false);
    expect(isValidTaiwanNationalId('A323456789')).toBe(false);
  });

  it('accepts both resident-certificate formats and rejects wrong check digits', () => {
    expect(isValidTaiwanResidentId('A800000014')).toBe(true);
    expect(isValidTaiwanResidentId('K912345672')).toBe(true);
    expect(isValidTaiwanResidentId('AB12345677')).toBe(true);
    expect(isValidTaiwanResidentId('TD23456789')).toBe(true);
    expect(isValidTaiwanResidentId('A800000015')).toBe(false);
    expect(isValidTaiwanResidentId('AB12345678')).toBe(false);
    expect(isValidTaiwanResidentId('A123456789')).toBe(false);
  });

  it('applies the divisible-by-5 UBN rule and the 7th-digit-7 alternative', () => {
    expect(isValidTaiwanUbn('04595257')).toBe(true);
    expect(isValidTaiwanUbn('22345670')).toBe(true);
    expect(isValidTaiwanUbn('22345671')).toBe(false);
    // 7th digit 7: 28 → 10 may count as 1 or 0, so two check digits pass.
    expect(isValidTaiwanUbn('10000073')).toBe(true);
    expect(isValidTaiwanUbn('10000074')).toBe(true);
    expect(isValidTaiwanUbn('10000075')).toBe(false);
  });

  it('implements Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('5400000000000005')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});
