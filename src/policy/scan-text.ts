import { loadCustomDetectors, type CustomDetectorConfig } from './detectors/custom-detectors.js';
import type { Detector, EntityType } from './detectors/detector.js';
import { BUILTIN_DETECTORS } from './detectors/index.js';
import { normalizeText } from '../text/normalize-text.js';
import type { DetectedSpan } from './detectors/detector.js';
import { ClauseIndex, compilePrefilter } from './scan-prefilter.js';

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
 *
 * Candidates that overlap nothing (the common case) are kept without a priority contest; only
 * clusters of mutually overlapping candidates are resolved, each on its own — the greedy choice
 * inside one cluster cannot affect another, so the result is the same as resolving all at once.
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  candidates.sort((left, right) => left.start - right.start || left.end - right.end || left.rank - right.rank);
  const accepted: Candidate[] = [];
  let clusterStart = 0;
  let clusterEnd = -1;
  const flush = (from: number, to: number) => {
    if (to - from === 1) {
      const only = candidates[from];
      if (only !== undefined) accepted.push(only);
    } else if (to > from) accepted.push(...resolveCluster(candidates.slice(from, to)));
  };
  for (let index = 0; index < candidates.length; index += 1) {
    const candidate = candidates[index];
    if (candidate === undefined) continue;
    if (candidate.start >= clusterEnd) {
      flush(clusterStart, index);
      clusterStart = index;
      clusterEnd = candidate.end;
    } else if (candidate.end > clusterEnd) clusterEnd = candidate.end;
  }
  flush(clusterStart, candidates.length);
  return accepted;
}

/** Priority resolution inside one cluster of overlapping candidates; returns them sorted by start. */
function resolveCluster(candidates: Candidate[]): Candidate[] {
  candidates.sort(
    (left, right) =>
      right.score - left.score ||
      right.end - right.start - (left.end - left.start) ||
      left.start - right.start ||
      left.rank - right.rank,
  );
  const accepted: Candidate[] = [];
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
 * Builds a scanner. All regexes and keyword automata are compiled here. `scan` normalises the
 * text once (src/text/normalize-text.ts), makes one prefilter pass that finds the clauses each
 * triggered detector can match in, runs the detectors there (the rest over the whole text), maps
 * spans back to the original text and resolves overlaps. Linear in the text length.
 */
export function createScanner(options: ScannerOptions = {}): Scanner {
  const custom = options.custom === undefined ? [] : loadCustomDetectors(options.custom, { baseDir: options.baseDir });
  const enabled = options.entities === undefined ? undefined : new Set<string>(options.entities);
  const detectors = [...(options.detectors ?? BUILTIN_DETECTORS), ...custom].filter(
    (detector) => enabled === undefined || enabled.has(detector.entity),
  );
  const minScore = options.minScore ?? 0.5;

  const prefilter = compilePrefilter(detectors);
  const clauses = new ClauseIndex();

  return {
    detectors,
    scan(text) {
      const normalized = normalizeText(text);
      const folded = normalized.text;
      const context = { original: text };
      const candidates: Candidate[] = [];
      let rank = 0;
      let offset = 0;
      const collect = (spans: readonly DetectedSpan[], detector: Detector) => {
        for (const span of spans) {
          if (span.score < minScore) continue;
          candidates.push({
            type: detector.entity,
            start: normalized.toOriginalStart(span.start + offset),
            end: normalized.toOriginalEnd(span.end + offset),
            score: span.score,
            detector: detector.id,
            rank,
          });
        }
      };
      if (prefilter.active) clauses.build(folded, prefilter);
      for (; rank < detectors.length; rank += 1) {
        const detector = detectors[rank];
        if (detector === undefined) continue;
        const bit = prefilter.bits[rank] ?? 0;
        if (bit === 0) {
          offset = 0;
          collect(detector.detect(folded, context), detector);
          continue;
        }
        if ((clauses.any & bit) === 0) continue;
        clauses.forEachRegion(bit, (start, end) => {
          offset = start;
          collect(detector.detect(start === 0 && end === folded.length ? folded : folded.slice(start, end), context), detector);
        });
      }
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
