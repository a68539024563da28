import { isValidTaiwanResidentId } from './checksums.js';
import { DIGIT_TRIGGERS, type Detector } from './detector.js';
import { createCheckedNumberDetector } from './checked-number-detector.js';
import { createContextMatcher } from './text-context.js';
import { defineDetector } from './detector-definition.js';

// New format: letter + 8/9 + 8 digits. Old format: letter + A–D + 8 digits.
const CANDIDATE = /[A-Za-z][-. ]?(?:[89]|[A-Da-d])(?:[-. ]?\d){8}/g;

const context = createContextMatcher({
  positive: ['居留證', '居留證號', '居留證號碼', '統一證號', 'arc', 'arc no', 'resident', 'residence permit', 'ui no'],
  // 發票號碼 (e-invoice numbers such as AB12345678) share the old format's shape.
  negative: ['發票', '發票號碼', 'invoice', '訂單', '型號', '料號', 'order', 'serial'],
  before: 16,
});

/** 居留證號, both formats, checksum-valid. */
export const twResidentIdDetector: Detector = createCheckedNumberDetector({
  id: 'tw-resident-id',
  entity: 'TW_RESIDENT_ID',
  triggers: DIGIT_TRIGGERS,
  candidate: CANDIDATE,
  isValid: isValidTaiwanResidentId,
  context,
  // The old format (two letters) collides with invoice numbers more easily, so it starts lower.
  score: (verdict, surface) => (verdict === 'positive' ? 0.99 : verdict === 'negative' ? 0.3 : /^[A-Za-z]{2}/.test(surface) ? 0.7 : 0.85),
  gluedScore: (verdict) => (verdict === 'positive' ? 0.95 : undefined),
});

/** Built-in definition: twResidentId spans imply `restricted` unless `policy.entity_classes` says otherwise. */
export const twResidentIdDefinition = defineDetector(twResidentIdDetector, 'restricted');
