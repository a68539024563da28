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

/**
 * The candidates of one scan, column-wise in typed arrays reused between scans: a scan
 * allocates no object per candidate, only the entities it returns.
 */
class CandidateTable {
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  scores = new Float64Array(256);
  ranks = new Int32Array(256);
  /** Candidate indices in (start, end, rank, insertion) order after `sortByPosition`. */
  order = new Int32Array(256);
  count = 0;
  private readonly byPosition = (left: number, right: number): number =>
    (this.starts[left] ?? 0) - (this.starts[right] ?? 0) ||
    (this.ends[left] ?? 0) - (this.ends[right] ?? 0) ||
    (this.ranks[left] ?? 0) - (this.ranks[right] ?? 0) ||
    left - right;

  add(start: number, end: number, score: number, rank: number): void {
    if (this.count === this.starts.length) this.grow();
    const index = this.count;
    this.starts[index] = start;
    this.ends[index] = end;
    this.scores[index] = score;
    this.ranks[index] = rank;
    this.order[index] = index;
    this.count += 1;
  }

  /** Sorts `order` by start, then end, then detector rank (ties in insertion order). */
  sortByPosition(): Int32Array {
    const order = this.order.subarray(0, this.count);
    order.sort(this.byPosition);
    return order;
  }

  private grow(): void {
    const size = this.starts.length * 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    const ends = new Int32Array(size);
    ends.set(this.ends);
    this.ends = ends;
    const scores = new Float64Array(size);
    scores.set(this.scores);
    this.scores = scores;
    const ranks = new Int32Array(size);
    ranks.set(this.ranks);
    this.ranks = ranks;
    const order = new Int32Array(size);
    order.set(this.order);
    this.order = order;
  }
}

/**
 * Keeps the best non-overlapping candidates: higher score first, then the longer span, then
 * the earlier start, then detector order. Deterministic for any input order. Returns the kept
 * candidates' indices sorted by start.
 *
 * Candidates that overlap nothing (the common case) are kept without a priority contest; only
 * clusters of mutually overlapping candidates are resolved, each on its own — the greedy choice
 * inside one cluster cannot affect another, so the result is the same as resolving all at once.
 */
function resolveOverlaps(table: CandidateTable): number[] {
  const order = table.sortByPosition();
  const accepted: number[] = [];
  let clusterStart = 0;
  let clusterEnd = -1;
  for (let position = 0; position < order.length; position += 1) {
    const candidate = order[position] ?? 0;
    const start = table.starts[candidate] ?? 0;
    const end = table.ends[candidate] ?? 0;
    if (start >= clusterEnd) {
      flushCluster(table, order, clusterStart, position, accepted);
      clusterStart = position;
      clusterEnd = end;
    } else if (end > clusterEnd) clusterEnd = end;
  }
  flushCluster(table, order, clusterStart, order.length, accepted);
  return accepted;
}

function flushCluster(table: CandidateTable, order: Int32Array, from: number, to: number, accepted: number[]): void {
  if (to - from === 1) accepted.push(order[from] ?? 0);
  else if (to > from) for (const candidate of resolveCluster(table, Array.from(order.subarray(from, to)))) accepted.push(candidate);
}

/** Priority resolution inside one cluster of overlapping candidates; returns them sorted by start. */
function resolveCluster(table: CandidateTable, candidates: number[]): number[] {
  const { starts, ends, scores, ranks } = table;
  candidates.sort(
    (left, right) =>
      (scores[right] ?? 0) - (scores[left] ?? 0) ||
      (ends[right] ?? 0) - (starts[right] ?? 0) - ((ends[left] ?? 0) - (starts[left] ?? 0)) ||
      (starts[left] ?? 0) - (starts[right] ?? 0) ||
      (ranks[left] ?? 0) - (ranks[right] ?? 0),
  );
  const accepted: number[] = [];
  for (const candidate of candidates) {
    const start = starts[candidate] ?? 0;
    const end = ends[candidate] ?? 0;
    let low = 0;
    let high = accepted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((starts[accepted[middle] ?? 0] ?? 0) < start) low = middle + 1;
      else high = middle;
    }
    const previous = accepted[low - 1];
    const next = accepted[low];
    if (previous !== undefined && (ends[previous] ?? 0) > start) continue;
    if (next !== undefined && (starts[next] ?? 0) < end) continue;
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
  const candidates = new CandidateTable();

  return {
    detectors,
    scan(text) {
      const normalized = normalizeText(text);
      const folded = normalized.text;
      const context = { original: text };
      candidates.count = 0;
      // Spans are offsets into what the detector saw: the whole text or one region of it.
      const collect = (spans: readonly DetectedSpan[], rank: number, offset: number): void => {
        for (const span of spans) {
          if (span.score < minScore) continue;
          candidates.add(normalized.toOriginalStart(span.start + offset), normalized.toOriginalEnd(span.end + offset), span.score, rank);
        }
      };
      if (prefilter.active) clauses.build(folded, prefilter);
      for (let rank = 0; rank < detectors.length; rank += 1) {
        const detector = detectors[rank];
        if (detector === undefined) continue;
        const bit = prefilter.bits[rank] ?? 0;
        if (bit === 0) {
          collect(detector.detect(folded, context), rank, 0);
          continue;
        }
        if ((clauses.any & bit) === 0) continue;
        clauses.startRegions();
        while (clauses.nextRegion(bit)) {
          const start = clauses.regionStart;
          const end = clauses.regionEnd;
          collect(detector.detect(start === 0 && end === folded.length ? folded : folded.slice(start, end), context), rank, start);
        }
      }
      const accepted = resolveOverlaps(candidates);
      const entities: ScanEntity[] = [];
      const counts: Record<string, number> = {};
      for (const candidate of accepted) {
        const detector = detectors[candidates.ranks[candidate] ?? 0];
        if (detector === undefined) continue;
        entities.push({
          type: detector.entity,
          start: candidates.starts[candidate] ?? 0,
          end: candidates.ends[candidate] ?? 0,
          score: Math.round((candidates.scores[candidate] ?? 0) * 100) / 100,
          detector: detector.id,
        });
        counts[detector.entity] = (counts[detector.entity] ?? 0) + 1;
      }
      return { entities, counts };
    },
  };
}
