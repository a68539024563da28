/**
 * The detector contract. A detector finds spans of one entity type in a text.
 *
 * Detectors receive the text already folded to half-width (see `normalize-text.ts`). The fold
 * maps every UTF-16 code unit to exactly one code unit, so offsets into the folded text are
 * offsets into the caller's original text: a detector never translates offsets itself.
 */

/** The public entity vocabulary (issue 3, item 1). Custom detectors may add their own names. */
export const BUILTIN_ENTITY_TYPES = [
  'PERSON',
  'TW_NATIONAL_ID',
  'TW_RESIDENT_ID',
  'TW_UBN',
  'PHONE',
  'EMAIL',
  'CREDIT_CARD',
  'BANK_ACCOUNT',
  'ADDRESS',
  'AMOUNT',
  'IP_ADDRESS',
  'SECRET',
] as const;

export type BuiltinEntityType = (typeof BUILTIN_ENTITY_TYPES)[number];

/** A built-in type or a user-chosen custom entity name (upper snake case). */
export type EntityType = BuiltinEntityType | (string & {});

/** One finding. `start`/`end` are UTF-16 indices into the original text, `end` exclusive. */
export interface DetectedSpan {
  start: number;
  end: number;
  /** Confidence in (0, 1]; the scanner drops spans below its `minScore`. */
  score: number;
}

/** What a detector may know besides the folded text. */
export interface DetectContext {
  /** The text exactly as the caller supplied it (same length as the folded text). */
  readonly original: string;
}

export interface Detector {
  /** Stable identifier, e.g. `tw-national-id` or a custom detector's configured id. */
  readonly id: string;
  readonly entity: EntityType;
  /**
   * Returns spans sorted by `start`, non-overlapping, all within the text.
   * Must be synchronous, side-effect free and linear in the text length: no regex compiled per
   * call, no pattern that can backtrack super-linearly.
   */
  detect(text: string, context: DetectContext): DetectedSpan[];
}
