import type { DetectedSpan, Detector } from './detector.js';
import { forEachMatch, isTokenEnd, isTokenStart, type ContextMatcher, type ContextVerdict } from './text-context.js';

export interface CheckedNumberDetectorOptions {
  id: string;
  entity: string;
  /** Global regex of candidate spans; token boundaries are checked here, not in the pattern. */
  candidate: RegExp;
  /** The checksum (and any prefix rule): a candidate that fails it is not the entity. */
  isValid(surface: string): boolean;
  context: ContextMatcher;
  /** The span's score for a context verdict; undefined drops the span (context required). */
  score(verdict: ContextVerdict, surface: string): number | undefined;
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
    detect(text) {
      const spans: DetectedSpan[] = [];
      forEachMatch(options.candidate, text, (match) => {
        const start = match.index;
        const end = start + match[0].length;
        if (!isTokenStart(text, start) || !isTokenEnd(text, end)) return;
        if (!options.isValid(match[0])) return;
        const score = options.score(options.context(text, start, end), match[0]);
        if (score !== undefined) spans.push({ start, end, score });
      });
      return spans;
    },
  };
}
