import { addressDefinition } from './address.js';
import { amountDefinition } from './amount.js';
import { bankAccountDefinition } from './bank-account.js';
import { creditCardDefinition } from './credit-card.js';
import type { Detector } from './detector.js';
import type { DetectorDefinition } from './detector-definition.js';
import { emailDefinition } from './email.js';
import { ipAddressDefinition } from './ip-address.js';
import { personDefinition } from './person.js';
import { phoneDefinition } from './phone.js';
import { secretDefinition } from './secret.js';
import { twNationalIdDefinition } from './tw-national-id.js';
import { twResidentIdDefinition } from './tw-resident-id.js';
import { twUbnDefinition } from './tw-ubn.js';

/**
 * The built-in detectors, one per entity type: the only list that names them. Entity lists and
 * default class tables derive from it. Order is the final tie-break when two detectors report
 * overlapping spans with the same score and length (earlier wins), so the checksum-backed
 * identifiers come first.
 */
export const BUILTIN_DETECTOR_DEFINITIONS: readonly DetectorDefinition[] = [
  secretDefinition,
  twNationalIdDefinition,
  twResidentIdDefinition,
  creditCardDefinition,
  twUbnDefinition,
  emailDefinition,
  ipAddressDefinition,
  bankAccountDefinition,
  phoneDefinition,
  addressDefinition,
  amountDefinition,
  personDefinition,
];

export const BUILTIN_DETECTORS: readonly Detector[] = BUILTIN_DETECTOR_DEFINITIONS.map((definition) => definition.detector);

/** The public entity vocabulary. Custom detectors may add their own names. */
export const BUILTIN_ENTITY_TYPES: readonly string[] = BUILTIN_DETECTORS.map((detector) => detector.entity);

/** Entity type → the data class it implies by default. */
export const DEFAULT_ENTITY_CLASSES: Readonly<Record<string, string>> = Object.fromEntries(
  BUILTIN_DETECTOR_DEFINITIONS.map((definition) => [definition.detector.entity, definition.defaultClass]),
);

export type { DetectContext, DetectedSpan, Detector, EntityType } from './detector.js';
export type { DetectorDefinition } from './detector-definition.js';
