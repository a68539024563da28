/**
 * The detector contract. A detector finds spans of one entity type in a text.
 *
 * Detectors receive the normalised text (see `src/text/normalize-text.ts`: NFKC, look-alikes,
 * invisible characters removed, digits folded) and report offsets into it; the scanner maps them
 * back to the caller's original text. A detector never translates offsets itself.
 */

/**
 * An entity type name in upper snake case: a built-in one (see `BUILTIN_ENTITY_TYPES` in
 * `index.ts`, derived from the detector list) or a custom detector's configured name.
 */
export type EntityType = string;

/** One finding. `start`/`end` are UTF-16 indices into the original text, `end` exclusive. */
export interface DetectedSpan {
  start: number;
  end: number;
  /** Confidence in (0, 1]; the scanner drops spans below its `minScore`. */
  score: number;
}

/** What a detector may know besides the folded text. */
export interface DetectContext {
  /** The text exactly as the caller supplied it (offsets do NOT line up with the normalised text). */
  readonly original: string;
}

/** ASCII digits: the trigger set of every number-shaped detector. */
export const DIGIT_TRIGGERS = '0123456789';

export interface Detector {
  /** Stable identifier, e.g. `tw-national-id` or a custom detector's configured id. */
  readonly id: string;
  readonly entity: EntityType;
  /**
   * Prefilter: characters at least one of which every span (with the context it needs) contains
   * — e.g. the ASCII digits for phone numbers, `@` for e-mail. The scanner then runs the detector
   * only on the clauses (text between 。；;！？!?| and line breaks) that contain one, found in one pass
   * over the text. Omit to run on the whole text. A span must not cross a clause break.
   */
  readonly triggers?: string;
  /**
   * Returns spans sorted by `start`, non-overlapping, all within the text.
   * Must be synchronous, side-effect free and linear in the text length: no regex compiled per
   * call, no pattern that can backtrack super-linearly.
   */
  detect(text: string, context: DetectContext): DetectedSpan[];
}
