import { DIGIT_TRIGGERS, type DetectedSpan, type Detector } from './detector.js';
import { countDigits, createContextMatcher, forEachMatch, isAsciiDigit } from './text-context.js';
import { defineDetector } from './detector-definition.js';

const SEP = String.raw`[-. ]?`;
/** Extension directly attached to the number: `#205`, ` ext. 45`, ` 分機 123`, `轉123`. */
const EXTENSION = String.raw`(?:,?\s?(?:#|[Ee]xt\.?\s?|EXT\.?\s?|[xX]\s?|分機[:：]?\s?|轉\s?)\d{1,6}(?!\d))?`;

/**
 * Phone shapes, each anchored at a token start by the lookbehind so the scan is linear:
 *  - international: +CC then 2–5 digit groups (`+886-912-345-678`, `+1 (415) 555-0165`, `+81-3-5550-1067`)
 *  - Taiwanese landline with parenthesised area code: `(02)2769-8239`, `(07) 346 9332`
 *  - Taiwanese numbers written with a leading 0 and separators: `02-8975-7824`, `0912-345-678`
 *  - Taiwanese mobile without separators: `0912345678`
 *  - North-American style `(646) 555-0195`
 */
const CANDIDATE = new RegExp(
  String.raw`(?<![\w+$])(?:` +
    String.raw`\+\d{1,3}[- ]?(?:\(\d{1,4}\)[- ]?)?\d{1,4}(?:[-. ]\d{2,4}){1,4}` +
    String.raw`|\(\+\d{1,3}\)[- ]?\d{1,4}(?:[-. ]\d{2,4}){1,4}` +
    String.raw`|\+\d{9,15}` +
    String.raw`|09\d{2}-\d{6}` +
    String.raw`|\(0\d{1,3}\)\s?\d{3,4}${SEP}\d{3,4}` +
    String.raw`|0\d{1,3}-\d{3,4}-\d{3,4}` +
    String.raw`|09\d{2} \d{3} \d{3}` +
    String.raw`|09\d{8}` +
    String.raw`|0[2-8]\d{7,8}` +
    String.raw`|\(\d{3}\)\s?\d{3}-\d{4}` +
    String.raw`)(?![\d])` +
    EXTENSION,
  'g',
);

const context = createContextMatcher({
  positive: ['電話', '手機', '行動電話', '市話', '分機', '傳真', '聯絡電話', '專線', 'tel', 'phone', 'mobile', 'cell', 'fax', 'call', 'contact', 'reach me', 'whatsapp', 'line'],
  negative: ['訂單', '編號', '單號', '保單', '發票', '帳號', '帳戶', '匯款', '追蹤', '卡號', '信用卡', 'order', 'invoice', 'account', 'tracking', 'card', 'serial', 'ref'],
  before: 14,
});

function plausibleDigitCount(surface: string, digits: number): boolean {
  if (surface.startsWith('+') || surface.startsWith('(+')) return digits >= 8 && digits <= 15;
  if (surface.startsWith('(') && !surface.startsWith('(0')) return digits === 10;
  // Taiwanese numbers: 0 + area code + 7–8 digits (9–10 digits), mobiles 10 digits.
  return digits >= 9 && digits <= 10;
}

/** Taiwanese and international phone and fax numbers, with a directly attached extension. */
export const phoneDetector: Detector = {
  id: 'phone',
  entity: 'PHONE',
  triggers: DIGIT_TRIGGERS,
  detect(text) {
    const spans: DetectedSpan[] = [];
    forEachMatch(CANDIDATE, text, (match) => {
      const start = match.index;
      const surface = match[0];
      let end = start + surface.length;
      // An extension's digits do not count towards the number's length.
      const extensionAt = surface.search(/,?\s?(?:#|ext|x|分機|轉)/i);
      const numberEnd = extensionAt > 0 ? start + extensionAt : end;
      const digits = countDigits(text, start, numberEnd);
      if (!plausibleDigitCount(surface, digits)) return;
      // A number followed by more digit groups is part of something longer (account, ID).
      if (end < text.length && /[-.]/.test(text[end] ?? '') && isAsciiDigit(text.charCodeAt(end + 1))) return;
      while (end > start && /[\s]/.test(text[end - 1] ?? '')) end -= 1;
      const verdict = context(text, start, end);
      const strongShape = /^(?:\+|\(\+|\(0|09)/.test(surface);
      const base = strongShape ? 0.85 : 0.7;
      spans.push({ start, end, score: verdict === 'positive' ? 0.95 : verdict === 'negative' ? base - 0.3 : base });
    });
    return spans;
  },
};

/** Built-in definition: phone spans imply `confidential` unless `policy.entity_classes` says otherwise. */
export const phoneDefinition = defineDetector(phoneDetector, 'confidential');
