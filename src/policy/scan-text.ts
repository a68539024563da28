import { loadCustomDetectors, type CustomDetectorConfig } from './detectors/custom-detectors.js';
import type { Detector, EntityType } from './detectors/detector.js';
import { BUILTIN_DETECTORS } from './detectors/index.js';
import { normalizeText } from './detectors/normalize-text.js';

/** One entity in a scan result. Offsets are UTF-16 indices into the scanned text, `end` exclusive. */
export interface ScanEntity {
  type: EntityType;
  start: number;
  end: number;
  /** Confidence in (0, 1], rounded to two decimals. */
  score: number;
  /** Id of the detector that reported it (for explain output; not part of the wire contract). */
  detector: string;
}

export interface ScanResult {
  /** Sorted by `start`, never overlapping. */
  entities: ScanEntity[];
  /** Number of entities per type. */
  counts: Record<string, number>;
}

export interface ScannerOptions {
  /** Built-in detectors to run; defaults to all twelve. */
  detectors?: readonly Detector[];
  /** Custom detectors from config (validated and compiled once, here). */
  custom?: readonly CustomDetectorConfig[];
  /** Directory relative dictionary paths are resolved against. */
  baseDir?: string;
  /** Spans scoring below this are dropped. Default 0.5. */
  minScore?: number;
  /** When set, only these entity types are reported. */
  entities?: readonly EntityType[];
}

export interface Scanner {
  scan(text: string): ScanResult;
  /** The detectors in tie-break order (built-ins, then custom). */
  readonly detectors: readonly Detector[];
}

interface Candidate {
  type: EntityType;
  start: number;
  end: number;
  score: number;
  detector: string;
  rank: number;
}

/**
 * Keeps the best non-overlapping candidates: higher score first, then the longer span, then
 * the earlier start, then detector order. Deterministic for any input order.
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  candidates.sort(
    (left, right) =>
      right.score - left.score ||
      right.end - right.start - (left.end - left.start) ||
      left.start - right.start ||
      left.rank - right.rank,
  );
  const accepted: Candidate[] = [];
  // `accepted` is kept sorted by start; binary search finds the neighbours to test.
  for (const candidate of candidates) {
    let low = 0;
    let high = accepted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((accepted[middle]?.start ?? 0) < candidate.start) low = middle + 1;
      else high = middle;
    }
    const previous = accepted[low - 1];
    const next = accepted[low];
    if (previous !== undefined && previous.end > candidate.start) continue;
    if (next !== undefined && next.start < candidate.end) continue;
    accepted.splice(low, 0, candidate);
  }
  return accepted;
}

/**
 * Builds a scanner. All regexes and keyword automata are compiled here; `scan` folds the text
 * once (full-width → half-width, length-preserving) and runs every detector over that one
 * folded copy. Each detector is a linear scan, so a scan costs O(text length × detectors).
 */
export function createScanner(options: ScannerOptions = {}): Scanner {
  const custom = options.custom === undefined ? [] : loadCustomDetectors(options.custom, { baseDir: options.baseDir });
  const enabled = options.entities === undefined ? undefined : new Set<string>(options.entities);
  const detectors = [...(options.detectors ?? BUILTIN_DETECTORS), ...custom].filter(
    (detector) => enabled === undefined || enabled.has(detector.entity),
  );
  const minScore = options.minScore ?? 0.5;

  return {
    detectors,
    scan(text) {
      const normalized = normalizeText(text);
      const candidates: Candidate[] = [];
      detectors.forEach((detector, rank) => {
        for (const span of detector.detect(normalized.text, { original: text })) {
          if (span.score < minScore) continue;
          candidates.push({
            type: detector.entity,
            start: normalized.toOriginalStart(span.start),
            end: normalized.toOriginalEnd(span.end),
            score: span.score,
            detector: detector.id,
            rank,
          });
        }
      });
      const entities: ScanEntity[] = resolveOverlaps(candidates).map((candidate) => ({
        type: candidate.type,
        start: candidate.start,
        end: candidate.end,
        score: Math.round(candidate.score * 100) / 100,
        detector: candidate.detector,
      }));
      const counts: Record<string, number> = {};
      for (const entity of entities) counts[entity.type] = (counts[entity.type] ?? 0) + 1;
      return { entities, counts };
    },
  };
}
