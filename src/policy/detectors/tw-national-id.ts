import { isValidTaiwanNationalId } from './checksums.js';
import { DIGIT_TRIGGERS, type Detector } from './detector.js';
import { createCheckedNumberDetector } from './checked-number-detector.js';
import { createContextMatcher } from './text-context.js';
import { defineDetector } from './detector-definition.js';

// Letter + 1/2 + 8 digits, single separators allowed between characters (`A 123 456 789`,
// `A12-345-6789`); token boundaries are checked in code (cheaper than a lookbehind).
const CANDIDATE = /[A-Za-z][-. ]?[12](?:[-. ]?\d){8}/g;

const context = createContextMatcher({
  positive: ['身分證', '身份證', '身分證字號', '國民身分證', 'national id', 'id no', 'id number', 'id:', '證號'],
  negative: ['發票', '訂單', '型號', '料號', '序號', '追蹤', '物流', '單號', 'invoice', 'order', 'serial', 'model', 'tracking', 'awb'],
  before: 16,
});

/** 身分證字號 with a valid check digit. The checksum alone is strong evidence (1 in 10 by chance). */
export const twNationalIdDetector: Detector = createCheckedNumberDetector({
  id: 'tw-national-id',
  entity: 'TW_NATIONAL_ID',
  triggers: DIGIT_TRIGGERS,
  candidate: CANDIDATE,
  isValid: isValidTaiwanNationalId,
  context,
  score: (verdict) => (verdict === 'positive' ? 0.99 : verdict === 'negative' ? 0.4 : 0.85),
  // Glued to letters (`TW123456789` tracking codes) only with an ID word nearby.
  gluedScore: (verdict) => (verdict === 'positive' ? 0.95 : undefined),
});

/** Built-in definition: twNationalId spans imply `restricted` unless `policy.entity_classes` says otherwise. */
export const twNationalIdDefinition = defineDetector(twNationalIdDetector, 'restricted');
