import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeText } from './normalize-text.js';

function mapped(original: string, needle: string): string {
  const normalized = normalizeText(original);
  const at = normalized.text.indexOf(needle);
  expect(at).toBeGreaterThanOrEqual(0);
  return original.slice(normalized.toOriginalStart(at), normalized.toOriginalEnd(at + needle.length));
}

describe('normalizeText', () => {
  it('keeps plain ASCII and Chinese text as it is, with an identity map', () => {
    const normalized = normalizeText('客戶王小明 called at 10:30.');
    expect(normalized.text).toBe('客戶王小明 called at 10:30.');
    expect(normalized.identity).toBe(true);
  });

  it('folds full-width forms one for one (identity map)', () => {
    const normalized = normalizeText('Ａ１２３，ＮＴ＄');
    expect(normalized.text).toBe('A123,NT$');
    expect(normalized.identity).toBe(true);
  });

  it('removes invisible characters and maps a span back over them', () => {
    const original = '身分證A12\u200b345\u200d67\u00ad89結束';
    expect(normalizeText(original).text).toBe('身分證A123456789結束');
    expect(mapped(original, 'A123456789')).toBe('A12\u200b345\u200d67\u00ad89');
  });

  it('folds look-alike letters, other-script digits and mathematical digits', () => {
    expect(normalizeText('А123456789').text).toBe('A123456789'); // Cyrillic А
    expect(normalizeText('Ρassword').text).toBe('Password'); // Greek Ρ
    expect(normalizeText('٠٩١٢٣٤٥٦٧٨').text).toBe('0912345678'); // Arabic-Indic
    expect(normalizeText('۰۹۱۲').text).toBe('0912'); // extended Arabic-Indic
    expect(normalizeText('०९१२').text).toBe('0912'); // Devanagari
    const math = '𝟎𝟗𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖';
    expect(normalizeText(math).text).toBe('0912345678');
    expect(mapped(`tel ${math}!`, '0912345678')).toBe(math);
  });

  it('treats no-break and other spaces as spaces and dash look-alikes as hyphens', () => {
    expect(normalizeText('4111\u00a01111\u202f1111\u20091111').text).toBe('4111 1111 1111 1111');
    expect(normalizeText('0912\u2013345\u2212678').text).toBe('0912-345-678');
  });

  it('folds Chinese-numeral digits only in long digit runs', () => {
    expect(normalizeText('手機零九一二三四五六七八').text).toBe('手機0912345678');
    expect(normalizeText('電話零九一二-三四五-六七八').text).toBe('電話0912-345-678');
    expect(normalizeText('第一二三名').text).toBe('第一二三名');
    expect(normalizeText('新臺幣三萬五千元').text).toBe('新臺幣三萬五千元');
  });

  it('maps expansions (… → ...) to the whole original character', () => {
    const original = 'a…b';
    const normalized = normalizeText(original);
    expect(normalized.text).toBe('a...b');
    expect(normalized.toOriginalStart(4)).toBe(2);
    expect(normalized.toOriginalEnd(2)).toBe(2);
    expect(normalized.toOriginalEnd(4)).toBe(2);
  });

  it('maps every span inside the text to a range inside the original, in order', () => {
    const alphabet = fc.constantFrom('a', '1', '客', '\u200b', '\u00a0', '…', 'Ａ', '𝟏', 'А', '٣', 'é', 'e\u0301', '一', '\ud83d\ude00');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 40 }), (pieces) => {
        const original = pieces.join('');
        const normalized = normalizeText(original);
        for (let start = 0; start <= normalized.text.length; start += 1) {
          const from = normalized.toOriginalStart(start);
          expect(from).toBeGreaterThanOrEqual(0);
          expect(from).toBeLessThanOrEqual(original.length);
          for (let end = start + 1; end <= normalized.text.length; end += 1) {
            const to = normalized.toOriginalEnd(end);
            expect(to).toBeGreaterThan(from);
            expect(to).toBeLessThanOrEqual(original.length);
          }
        }
      }),
    );
  });
});
