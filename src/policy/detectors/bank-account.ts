import { DIGIT_TRIGGERS, type DetectedSpan, type Detector } from './detector.js';
import { countDigits, createContextMatcher, forEachMatch, isTokenEnd, isTokenStart } from './text-context.js';
import { defineDetector } from './detector-definition.js';

/**
 * Account-number shapes. A three-digit bank code directly attached to the number is part of
 * the span (`(012) 1234-5678-9012`, `004-12345678901`); a code written apart from it
 * (`玉山銀行（808）帳號 …`) is not, because the regex requires digits right after it.
 */
const CANDIDATE = /(?<![\w-])(?:\(\d{3}\) ?)?\d{2,16}(?:[- ]\d{2,14}){0,4}(?![\w])/g;

/** Account numbers need account context; the nearest context word decides. */
const context = createContextMatcher({
  positive: ['帳號', '帳戶', '戶頭', '匯款', '匯入', '匯至', '匯到', '匯給', '轉到', '轉至', '存入', '入帳', '撥入', '收款', '受款', '轉帳', '轉入', '薪轉', '戶名', '存款', '撥款', 'account', 'acct', 'a/c', 'remit', 'wire', 'bank', 'iban', 'deposit to', 'deposit into', 'transfer to', 'pay to', 'beneficiary', 'routing'],
  negative: ['保單', '參考編號', '編號', '單號', '訂單', '發票', '電話', '手機', '分機', '傳真', '統編', '統一編號', '身分證', '居留證', '卡號', '信用卡', '追蹤', '序號', '代碼', '分行', 'policy', 'reference', 'ref', 'order', 'invoice', 'phone', 'tel', 'mobile', 'fax', 'card', 'tracking', 'branch', 'swift'],
  before: 24,
});

/** Bank account numbers in an account context (10–16 digits, optional attached bank code). */
export const bankAccountDetector: Detector = {
  id: 'bank-account',
  entity: 'BANK_ACCOUNT',
  triggers: DIGIT_TRIGGERS,
  detect(text) {
    const spans: DetectedSpan[] = [];
    forEachMatch(CANDIDATE, text, (match) => {
      const start = match.index;
      let end = start + match[0].length;
      while (end > start && text[end - 1] === ' ') end -= 1;
      if (!isTokenStart(text, start) || !isTokenEnd(text, end)) return;
      const surface = text.slice(start, end);
      // A 3-digit bank code may lead, attached by a space or dash or in parentheses
      // (`004-12345678901`, `822 123456789012`, `(012) 1234-5678-9012`): it belongs to the span.
      const codeLength = /^(?:\(\d{3}\) ?|\d{3}[- ](?=\d))/.exec(surface)?.[0].length ?? 0;
      const totalDigits = countDigits(text, start, end);
      const accountDigits = totalDigits - (codeLength > 0 ? 3 : 0);
      if (totalDigits < 10 || accountDigits > 16 || (codeLength === 0 && totalDigits > 16)) return;
      if (accountDigits < 7) return;
      // A date or a mobile number is not an account even next to 帳戶.
      if (/^09\d{2}[- ]?\d{3}[- ]?\d{3}$/.test(surface)) return;
      if (context(text, start, end) !== 'positive') return;
      spans.push({ start, end, score: codeLength > 0 ? 0.9 : 0.85 });
    });
    return spans;
  },
};

/** Built-in definition: bankAccount spans imply `restricted` unless `policy.entity_classes` says otherwise. */
export const bankAccountDefinition = defineDetector(bankAccountDetector, 'restricted');
