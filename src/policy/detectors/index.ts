import { addressDetector } from './address.js';
import { amountDetector } from './amount.js';
import { bankAccountDetector } from './bank-account.js';
import { creditCardDetector } from './credit-card.js';
import type { Detector } from './detector.js';
import { emailDetector } from './email.js';
import { ipAddressDetector } from './ip-address.js';
import { personDetector } from './person.js';
import { phoneDetector } from './phone.js';
import { secretDetector } from './secret.js';
import { twNationalIdDetector } from './tw-national-id.js';
import { twResidentIdDetector } from './tw-resident-id.js';
import { twUbnDetector } from './tw-ubn.js';

/**
 * The built-in detectors, one per entity type. Order is the final tie-break when two
 * detectors report overlapping spans with the same score and length (earlier wins), so the
 * checksum-backed identifiers come first.
 */
export const BUILTIN_DETECTORS: readonly Detector[] = [
  secretDetector,
  twNationalIdDetector,
  twResidentIdDetector,
  creditCardDetector,
  twUbnDetector,
  emailDetector,
  ipAddressDetector,
  bankAccountDetector,
  phoneDetector,
  addressDetector,
  amountDetector,
  personDetector,
];

export type { DetectContext, DetectedSpan, Detector, EntityType, BuiltinEntityType } from './detector.js';
export { BUILTIN_ENTITY_TYPES } from './detector.js';
