import { InvalidRequestError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { Principal } from '../model/principal.js';
import { foldFullWidth } from './detectors/normalize-text.js';
import { createDataClassOrder } from '../model/data-classes.js';
import type { PolicyConfig } from './policy-config-schema.js';
import { DATA_CLASS_HEADER, type ClassReason } from './policy-decision.js';
import { extractSegments, type TextSegment } from './request-text.js';

/** One finding of the scanner; `start`/`end` are UTF-16 indices, `end` exclusive. */
export interface ScanEntity {
  type: string;
  start: number;
  end: number;
  score: number;
}

/** The shape of `createScanner(options)` from `scan-text.ts`; sync or async. */
export interface TextScanner {
  scan(text: string): { entities: ScanEntity[] } | Promise<{ entities: ScanEntity[] }>;
  /**
   * Exactly the entities of `types` that `scan(text)` reports (same spans, same order), when the
   * scanner has a cheaper way to find them; callers fall back to `scan` and filter without it.
   */
  scanFor?(text: string, types: ReadonlySet<string>): ScanEntity[] | Promise<ScanEntity[]>;
}

export interface ScannedSegment extends TextSegment {
  entities: ScanEntity[];
}

export interface ClassifyInput {
  request: ChatRequest;
  principal?: Pick<Principal, 'department'>;
  /** Request headers; only `x-switchyard-data-class` is read. */
  headers?: Record<string, string | string[] | undefined>;
}

/**
 * A request's class and what was found. `segments` holds the request's raw text and spans, for
 * masking: keep it for the request only. It is non-enumerable, so JSON and spreads leave it out.
 */
export interface Classification {
  dataClass: string;
  reasons: ClassReason[];
  entities: Record<string, number>;
  scanFailed: boolean;
  segments: ScannedSegment[];
}

export interface ClassifyOptions {
  /** Clock for the scan deadline (tests). */
  now?: () => number;
}

export class ScanTimeoutError extends Error {}
class ScanLimitError extends Error {}

export function withTimeout<T>(promise: Promise<T>, milliseconds: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ScanTimeoutError('scan timed out')), Math.max(0, milliseconds));
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function validSpans(entities: unknown, text: string): ScanEntity[] {
  if (!Array.isArray(entities)) throw new Error('scanner returned no entity list');
  for (const entity of entities as ScanEntity[]) {
    // A span outside the text would make masking cut the wrong characters: treat it as a failed scan.
    const valid = Number.isInteger(entity.start) && Number.isInteger(entity.end) && entity.start >= 0 && entity.end <= text.length && entity.start < entity.end;
    if (!valid || typeof entity.type !== 'string') throw new Error('scanner returned an invalid span');
  }
  return entities as ScanEntity[];
}

async function scanSegments(policy: PolicyConfig, scanner: TextScanner, segments: TextSegment[], now: () => number): Promise<ScannedSegment[]> {
  const deadline = now() + policy.scan.timeout_ms;
  const disabled = new Set(policy.detectors.disable);
  // Per-request cap on scanned bytes: a request above it is not scanned at all (fail closed).
  let bytes = 0;
  for (const segment of segments) bytes += Buffer.byteLength(segment.text, 'utf8');
  if (bytes > policy.scan.max_bytes) throw new ScanLimitError(`request text is ${bytes} bytes, above scan.max_bytes ${policy.scan.max_bytes}`);
  const scanned: ScannedSegment[] = [];
  for (const segment of segments) {
    const pending = scanner.scan(segment.text);
    const result = pending instanceof Promise ? await withTimeout(pending, deadline - now()) : pending;
    // Synchronous detectors cannot be interrupted; checking after each segment bounds the overrun to one segment.
    if (now() > deadline) throw new ScanTimeoutError('scan timed out');
    const entities = validSpans(result.entities, segment.text).filter(
      (entity) => entity.score >= policy.detectors.min_score && !disabled.has(entity.type),
    );
    scanned.push({ ...segment, entities });
  }
  return scanned;
}

export function headerClasses(headers: ClassifyInput['headers']): string[] {
  const value = headers?.[DATA_CLASS_HEADER];
  const values = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.flatMap((item) => item.split(',')).map((item) => item.trim().toLowerCase()).filter((item) => item !== '');
}

export function keywordReasons(policy: PolicyConfig, texts: readonly string[]): ClassReason[] {
  const reasons: ClassReason[] = [];
  if (policy.keywords.length === 0) return reasons;
  const folded = texts.map((text) => foldFullWidth(text));
  const lowered = folded.map((text) => text.toLowerCase());
  for (const rule of policy.keywords) {
    const texts = rule.case_sensitive ? folded : lowered;
    const hit = rule.words.find((word) => {
      const needle = rule.case_sensitive ? foldFullWidth(word) : foldFullWidth(word).toLowerCase();
      return texts.some((text) => text.includes(needle));
    });
    // The keyword itself may be sensitive (a project code name), so only its length is reported.
    if (hit !== undefined) reasons.push({ source: 'keyword', class: rule.class, detail: `keyword rule matched a ${[...hit].length}-character word` });
  }
  return reasons;
}

function countEntities(segments: ScannedSegment[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const segment of segments) for (const entity of segment.entities) counts[entity.type] = (counts[entity.type] ?? 0) + 1;
  return counts;
}

function hideSegments(classification: Classification): Classification {
  Object.defineProperty(classification, 'segments', { enumerable: false });
  return classification;
}

/**
 * Classifies a request: the highest of the default class, what detected entities imply, keyword
 * rules, the principal's department default and the client's header (raise only). If the scan
 * throws or runs past `policy.scan.timeout_ms`, the request is the highest class (fail closed).
 */
export async function classifyRequest(policy: PolicyConfig, scanner: TextScanner, input: ClassifyInput, options: ClassifyOptions = {}): Promise<Classification> {
  const order = createDataClassOrder(policy.data_classes);
  const now = options.now ?? Date.now;
  const defaultClass = policy.default_class ?? order.lowest;
  const reasons: ClassReason[] = [{ source: 'default', class: defaultClass, detail: 'default class' }];

  const requested = policy.class_header ? headerClasses(input.headers) : [];
  for (const name of requested) {
    // An unknown name is refused rather than guessed: the client meant some protection, and silently ignoring it would lower it.
    if (!order.has(name)) throw new InvalidRequestError(`Unknown data class '${name}' in ${DATA_CLASS_HEADER}; known: ${order.names.join(', ')}.`, DATA_CLASS_HEADER);
    reasons.push({ source: 'header', class: name, detail: `${DATA_CLASS_HEADER} header` });
  }
  const department = input.principal?.department;
  const departmentClass = department === undefined ? undefined : policy.departments[department];
  if (departmentClass !== undefined) reasons.push({ source: 'department', class: departmentClass, detail: `department ${department}` });

  const segments = extractSegments(input.request);
  let scanned: ScannedSegment[];
  try {
    scanned = await scanSegments(policy, scanner, segments, now);
  } catch (error) {
    const why = error instanceof ScanTimeoutError ? `scan exceeded ${policy.scan.timeout_ms} ms` : error instanceof ScanLimitError ? error.message : 'scan failed';
    reasons.push({ source: 'scan-failure', class: order.highest, detail: `${why}; treated as the highest class` });
    const failed = segments.map((segment) => ({ ...segment, entities: [] }));
    return hideSegments({ dataClass: order.highest, reasons, entities: {}, scanFailed: true, segments: failed });
  }

  const entities = countEntities(scanned);
  for (const mapping of policy.entity_classes) {
    const count = entities[mapping.entity] ?? 0;
    if (count >= mapping.min_count) reasons.push({ source: 'entity', class: mapping.class, detail: `${mapping.entity} ×${count} ≥ ${mapping.min_count}` });
  }
  reasons.push(...keywordReasons(policy, segments.map((segment) => segment.text)));

  const dataClass = reasons.reduce((highest, reason) => order.max(highest, reason.class), order.lowest);
  return hideSegments({ dataClass, reasons, entities, scanFailed: false, segments: scanned });
}
