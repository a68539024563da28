import type { DetectedSpan, Detector } from './detector.js';
import { isAsciiDigit, isTokenEnd, isTokenStart, type ContextMatcher, type ContextVerdict } from './text-context.js';

export interface CheckedNumberDetectorOptions {
  id: string;
  entity: string;
  /** Prefilter characters (see `Detector.triggers`). */
  triggers?: string;
  /** Global regex of candidate spans; token boundaries are checked here, not in the pattern. */
  candidate: RegExp;
  /** The checksum (and any prefix rule): a candidate that fails it is not the entity. */
  isValid(surface: string): boolean;
  context: ContextMatcher;
  /** The span's score for a context verdict; undefined drops the span (context required). */
  score(verdict: ContextVerdict, surface: string): number | undefined;
  /**
   * Score for a checksum-valid candidate glued to letters or digits (`IDA123456789X`); undefined
   * keeps whole-token boundaries. The checksum is what makes a relaxed boundary safe.
   */
  gluedScore?: (verdict: ContextVerdict) => number | undefined;
}

/** Drops the separators an evasion may put inside an identifier (`A 123-456.789`). */
export function compactIdentifier(surface: string): string {
  for (let index = 0; index < surface.length; index += 1) {
    const code = surface.charCodeAt(index);
    if (code === 0x2d || code === 0x2e || code === 0x20) return surface.replace(/[-. ]/g, '');
  }
  return surface;
}

/**
 * The shape every identifier with a check digit shares (national and resident IDs, 統一編號,
 * card numbers): a candidate pattern, whole-token boundaries, the checksum, then context words
 * deciding the confidence.
 */
export function createCheckedNumberDetector(options: CheckedNumberDetectorOptions): Detector {
  return {
    id: options.id,
    entity: options.entity,
    ...(options.triggers === undefined ? {} : { triggers: options.triggers }),
    detect(text) {
      const spans: DetectedSpan[] = [];
      const pattern = options.candidate;
      pattern.lastIndex = 0;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        const start = match.index;
        const end = start + match[0].length;
        const surface = compactIdentifier(match[0]);
        const valid = options.isValid(surface);
        const verdict = valid ? options.context(text, start, end) : undefined;
        const bounded = isTokenStart(text, start) && isTokenEnd(text, end);
        // Glued to more digits (`CS2024498987`) it is usually part of a longer code: only with context.
        const digitGlued = isAsciiDigit(text.charCodeAt(start - 1)) || isAsciiDigit(text.charCodeAt(end));
        // Glued and separated at once is too loose (UUIDs, hashes): a glued ID must be compact.
        const gluedOk = surface.length === match[0].length && (!digitGlued || verdict === 'positive');
        const score = !valid ? undefined : bounded ? options.score(verdict, surface) : gluedOk ? options.gluedScore?.(verdict) : undefined;
        if (score !== undefined) spans.push({ start, end, score });
        // A rejected candidate may hide a real one starting inside it (`CA800000014`): retry one later.
        else pattern.lastIndex = start + 1;
      }
      pattern.lastIndex = 0;
      return spans;
    },
  };
}
