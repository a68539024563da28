import { isValidTaiwanUbn } from './checksums.js';
import { DIGIT_TRIGGERS, type Detector } from './detector.js';
import { createCheckedNumberDetector } from './checked-number-detector.js';
import { createContextMatcher } from './text-context.js';
import { defineDetector } from './detector-definition.js';

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
export const twUbnDetector: Detector = createCheckedNumberDetector({
  id: 'tw-ubn',
  entity: 'TW_UBN',
  triggers: DIGIT_TRIGGERS,
  candidate: CANDIDATE,
  isValid: isValidTaiwanUbn,
  context,
  // Eight checksum-valid digits are common (invoice, order, lottery numbers): context is required.
  score: (verdict) => (verdict === 'positive' ? 0.95 : undefined),
});

/** Built-in definition: twUbn spans imply `internal` unless `policy.entity_classes` says otherwise. */
export const twUbnDefinition = defineDetector(twUbnDetector, 'internal');
