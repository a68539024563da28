import { describe, expect, it } from 'vitest';
import { createScanner } from './scan-text.js';

/**
 * Evasion suite: each family of evasion from issue 13, applied to each entity type it fits.
 * A case passes when the scanner reports the type and the span covers exactly the evaded value
 * in the ORIGINAL text (so masking removes the hidden characters too).
 */
const scanner = createScanner();
const ZWSP = '\u200b';
const ZWJ = '\u200d';
const ZWNJ = '\u200c';
const WORD_JOINER = '\u2060';
const SOFT_HYPHEN = '\u00ad';
const NBSP = '\u00a0';

function sprinkle(value: string, invisible: string): string {
  return Array.from(value).join(invisible);
}

const arabicIndic = (digits: string) => digits.replace(/\d/g, (digit) => String.fromCharCode(0x0660 + Number(digit)));
const mathematical = (digits: string) => digits.replace(/\d/g, (digit) => String.fromCodePoint(0x1d7ce + Number(digit)));
const chineseDigits = (digits: string) => digits.replace(/\d/g, (digit) => '零一二三四五六七八九'[Number(digit)] ?? digit);

interface Case {
  name: string;
  type: string;
  before: string;
  value: string;
  after: string;
}

const INVISIBLES: Array<[string, string]> = [['ZWSP', ZWSP], ['ZWJ', ZWJ], ['ZWNJ', ZWNJ], ['word joiner', WORD_JOINER], ['soft hyphen', SOFT_HYPHEN]];

const cases: Case[] = [];
for (const [name, invisible] of INVISIBLES) {
  cases.push(
    { name: `${name} inside a national ID`, type: 'TW_NATIONAL_ID', before: '身分證', value: sprinkle('A123456789', invisible), after: '，請核對' },
    { name: `${name} inside a resident ID`, type: 'TW_RESIDENT_ID', before: '居留證 ', value: sprinkle('A800000014', invisible), after: '。' },
    { name: `${name} inside a card`, type: 'CREDIT_CARD', before: '信用卡 ', value: sprinkle('4111111111111111', invisible), after: ' 已停用' },
    { name: `${name} inside a phone`, type: 'PHONE', before: '手機 ', value: sprinkle('0912-345-678', invisible), after: '。' },
    { name: `${name} inside a Chinese name`, type: 'PERSON', before: '聯絡人', value: sprinkle('王小明', invisible), after: '，電話待補' },
    { name: `${name} inside a Latin name`, type: 'PERSON', before: 'Contact ', value: `Em${invisible}ily Car${invisible}ter`, after: ' today.' },
    { name: `${name} inside an e-mail`, type: 'EMAIL', before: 'mail ', value: `emily${invisible}.carter@exa${invisible}mple.com`, after: ' now' },
    { name: `${name} inside a UBN`, type: 'TW_UBN', before: '統一編號 ', value: sprinkle('04595257', invisible), after: '。' },
  );
}
cases.push(
  { name: 'no-break spaces in a card', type: 'CREDIT_CARD', before: 'card ', value: `4111${NBSP}1111${NBSP}1111${NBSP}1111`, after: ' expired' },
  { name: 'narrow no-break spaces in a card', type: 'CREDIT_CARD', before: '卡號', value: '4111\u202f1111\u202f1111\u202f1111', after: '。' },
  { name: 'no-break space in a phone', type: 'PHONE', before: 'Tel ', value: `+886${NBSP}912${NBSP}345${NBSP}678`, after: '.' },
  { name: 'spaces inside an ID', type: 'TW_NATIONAL_ID', before: '身分證 ', value: 'A 123 456 789', after: ' 請核對' },
  { name: 'dashes inside an ID', type: 'TW_NATIONAL_ID', before: '身分證', value: 'A12-345-6789', after: '。' },
  { name: 'dots inside an ID', type: 'TW_NATIONAL_ID', before: 'ID no ', value: 'A.123.456.789', after: ' ok' },
  { name: 'dashes inside a resident ID', type: 'TW_RESIDENT_ID', before: '居留證', value: 'A80-000-0014', after: '。' },
  { name: 'dots inside a card', type: 'CREDIT_CARD', before: 'card ', value: '4111.1111.1111.1111', after: ' ok' },
  { name: 'Cyrillic letter in an ID', type: 'TW_NATIONAL_ID', before: '身分證', value: '\u0410123456789', after: '。' },
  { name: 'Greek letter in an ID', type: 'TW_NATIONAL_ID', before: '身分證', value: '\u0391123456789', after: '。' },
  { name: 'Cyrillic letters in a name', type: 'PERSON', before: 'Dear ', value: '\u0415mily C\u0430rter', after: ',' },
  { name: 'Cyrillic letters in an e-mail', type: 'EMAIL', before: 'mail ', value: 'j\u043ehn@ex\u0430mple.com', after: ' now' },
  { name: 'Cyrillic prefix in a token', type: 'SECRET', before: 'token ', value: `ghp_\u0430B3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY2zA4`, after: ' leaked' },
  { name: 'full-width ID', type: 'TW_NATIONAL_ID', before: '身分證', value: 'Ａ１２３４５６７８９', after: '。' },
  { name: 'Arabic-Indic digits in a phone', type: 'PHONE', before: '手機', value: arabicIndic('0912345678'), after: '。' },
  { name: 'Arabic-Indic digits in an ID', type: 'TW_NATIONAL_ID', before: '身分證', value: `A${arabicIndic('123456789')}`, after: '。' },
  { name: 'mathematical digits in a card', type: 'CREDIT_CARD', before: '信用卡', value: mathematical('4111111111111111'), after: '。' },
  { name: 'mathematical digits in a phone', type: 'PHONE', before: 'Tel ', value: mathematical('0912345678'), after: '.' },
  { name: 'Chinese-numeral digits in a phone', type: 'PHONE', before: '手機', value: chineseDigits('0912345678'), after: '，請回電' },
  { name: 'Chinese-numeral digits in an ID', type: 'TW_NATIONAL_ID', before: '身分證', value: `A${chineseDigits('123456789')}`, after: '。' },
  { name: 'Chinese-numeral digits in a card', type: 'CREDIT_CARD', before: '卡號', value: chineseDigits('4111111111111111'), after: '。' },
  { name: 'Devanagari digits in a UBN', type: 'TW_UBN', before: '統編 ', value: '04595257'.replace(/\d/g, (digit) => String.fromCharCode(0x0966 + Number(digit))), after: '。' },
  { name: 'ID glued to letters', type: 'TW_NATIONAL_ID', before: '身分證號碼xyz', value: 'A123456789', after: 'abc' },
  { name: 'ID glued to digits with context', type: 'TW_NATIONAL_ID', before: '身分證', value: 'A123456789', after: '0000' },
  { name: 'card glued to letters', type: 'CREDIT_CARD', before: 'cardno', value: '4111111111111111', after: 'exp' },
  { name: 'resident ID glued to letters', type: 'TW_RESIDENT_ID', before: '居留證ARC', value: 'A800000014', after: 'x' },
);

describe('evasion suite', () => {
  for (const testCase of cases) {
    it(`${testCase.type}: ${testCase.name}`, () => {
      const text = testCase.before + testCase.value + testCase.after;
      const start = testCase.before.length;
      const end = start + testCase.value.length;
      const found = scanner.scan(text).entities.map((entity) => ({ type: entity.type, start: entity.start, end: entity.end }));
      expect(found).toContainEqual({ type: testCase.type, start, end });
    });
  }

  it('masking the mapped span removes every hidden character of the value', () => {
    const text = `身分證A1${ZWSP}23${ZWJ}45${SOFT_HYPHEN}6789。`;
    const entity = scanner.scan(text).entities.find((found) => found.type === 'TW_NATIONAL_ID');
    expect(entity).toBeDefined();
    const masked = text.slice(0, entity?.start) + '[ID]' + text.slice(entity?.end);
    expect(masked).toBe('身分證[ID]。');
  });
});
