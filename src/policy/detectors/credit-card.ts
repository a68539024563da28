import { passesLuhn } from './checksums.js';
import { DIGIT_TRIGGERS, type Detector } from './detector.js';
import { createCheckedNumberDetector } from './checked-number-detector.js';
import { createContextMatcher, digitsOf } from './text-context.js';
import { defineDetector } from './detector-definition.js';

// 16 digits, ungrouped or as four groups of four joined by a space, hyphen or dot (after
// normalisation NBSP and thin spaces are spaces and zero-width characters are gone).
const CANDIDATE = /(?<![0-9])(?:\d{16}|\d{4}[ .-]\d{4}[ .-]\d{4}[ .-]\d{4})(?![0-9])/g;

/** Visa (4), Mastercard (51–55, 2221–2720), JCB (3528–3589). */
function hasCardPrefix(digits: string): boolean {
  if (digits.startsWith('4')) return true;
  const two = Number(digits.slice(0, 2));
  if (two >= 51 && two <= 55) return true;
  const four = Number(digits.slice(0, 4));
  return (four >= 2221 && four <= 2720) || (four >= 3528 && four <= 3589);
}

const context = createContextMatcher({
  positive: ['信用卡', '卡號', '刷卡', '簽帳卡', '金融卡', 'card', 'visa', 'mastercard', 'jcb', 'credit'],
  negative: ['追蹤', '物流', '會員', '訂單', '單號', '序號', '帳號', '帳戶', 'tracking', 'member', 'order', 'serial', 'account'],
  before: 16,
});

/** Luhn-valid 16-digit Visa / Mastercard / JCB numbers. */
export const creditCardDetector: Detector = createCheckedNumberDetector({
  id: 'credit-card',
  entity: 'CREDIT_CARD',
  triggers: DIGIT_TRIGGERS,
  candidate: CANDIDATE,
  isValid: (surface) => {
    const digits = digitsOf(surface);
    return hasCardPrefix(digits) && passesLuhn(digits);
  },
  context,
  score: (verdict) => (verdict === 'positive' ? 0.98 : verdict === 'negative' ? 0.3 : 0.85),
  gluedScore: (verdict) => (verdict === 'positive' ? 0.95 : verdict === 'negative' ? undefined : 0.75),
});

/** Built-in definition: creditCard spans imply `restricted` unless `policy.entity_classes` says otherwise. */
export const creditCardDefinition = defineDetector(creditCardDetector, 'restricted');
