import { isValidTaiwanUbn } from './checksums.js';
import type { DetectedSpan, Detector } from './detector.js';
import { createContextMatcher, forEachMatch, isTokenEnd, isTokenStart } from './text-context.js';

const CANDIDATE = /\d{8}(?![0-9])/g;

/**
 * A UBN needs a company-ID context: 8 checksum-valid digits occur by chance in one number of
 * five, so invoice, order and lottery numbers must not count even when they pass.
 */
const context = createContextMatcher({
  positive: ['統一編號', '統編', '統一編碼', '營利事業統一編號', '公司統編', 'tax id', 'tax id no', 'ubn', 'vat no', 'vat number', 'business id', 'company id'],
  negative: ['發票', '發票號碼', '訂單', '訂單編號', '中獎', '獎號', '序號', '單號', '保單', 'invoice no', 'order', 'tracking', 'lottery', '電話', '帳號'],
  before: 20,
});

/** 統一編號 in a company-ID context that passes the UBN checksum. */
export const twUbnDetector: Detector = {
  id: 'tw-ubn',
  entity: 'TW_UBN',
  detect(text) {
    const spans: DetectedSpan[] = [];
    forEachMatch(CANDIDATE, text, (match) => {
      const start = match.index;
      const end = start + match[0].length;
      if (!isTokenStart(text, start) || !isTokenEnd(text, end)) return;
      if (!isValidTaiwanUbn(match[0])) return;
      const verdict = context(text, start, end);
      if (verdict !== 'positive') return;
      spans.push({ start, end, score: 0.95 });
    });
    return spans;
  },
};
