import type { DEFAULT_DATA_CLASSES } from '../../model/data-classes.js';
import type { Detector } from './detector.js';

/**
 * A built-in detector as the policy knows it: the detector itself (id, entity, triggers,
 * `detect`) and the data class its entity implies by default. The entity lists and default
 * class tables derive from the list of these in `index.ts`, so adding a detector is one file
 * plus one line there (`detector-list.test.ts` checks it).
 *
 * The detector object is kept as is, not copied: the scanner's hot loop keeps calling the very
 * objects the detector files export.
 */
export interface DetectorDefinition {
  readonly detector: Detector;
  /** One of the default data classes; a renamed class list restates `entity_classes` instead. */
  readonly defaultClass: (typeof DEFAULT_DATA_CLASSES)[number];
}

export function defineDetector(detector: Detector, defaultClass: DetectorDefinition['defaultClass']): DetectorDefinition {
  return { detector, defaultClass };
}
