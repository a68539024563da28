import type { RequestSummary } from '../model/request-summary.js';
import { emptyCounts, latencySlot, type RollupCounts } from './rollup-counts.js';
import type { RollupCell, RollupStore } from './rollup-store.js';

/**
 * The one place the console learns about requests. It receives request-finish events as the
 * http layer's observer (`observe(summary, status, route)`, fed from the
 * `switchyard:request:finish` channel for this gateway only) and feedback. It reads only the flat
 * `RequestSummary` (model/), which the pipeline builds once per call for every subscriber. On the
 * request path it does a map lookup and a few additions; storage is written by a timer.
 */
export interface RollupSubscriber {
  /** Request-finish subscriber: same shape as the http layer's RequestObserver. */
  observe(summary: RequestSummary | undefined, status: number, route: string | undefined): void;
  /** A rating or a reviewer verdict arrived (POST /v1/feedback). */
  observeFeedback(feedback: { rating: 'up' | 'down'; reviewerVerdict?: 'accepted' | 'rejected' }, department?: string): void;
  /** Writes what is buffered (the timer calls this; close() too). */
  flush(): Promise<void>;
  /** Deletes buckets older than the retention. */
  prune(): Promise<number>;
  close(): Promise<void>;
}

export interface RollupSubscriberOptions {
  store: RollupStore;
  bucketSeconds: number;
  retentionDays: number;
  /** 0 = no timer (tests call flush()). */
  flushSeconds: number;
  /** Wall clock, epoch ms: which bucket a request lands in. */
  now?: () => number;
  onError?: (error: unknown) => void;
}

/** Distinct departments per bucket between flushes; more go to OTHER so memory stays bounded. */
const MAX_DEPARTMENTS = 200;
export const NO_DEPARTMENT = '(none)';
export const OTHER_DEPARTMENT = '(other)';
const PRUNE_INTERVAL_MS = 3_600_000;

/** Routes whose requests are model calls; admin, health and console calls are not charted. */
const CHARTED_ROUTES = new Set(['/v1/chat/completions', '/v1/messages', '/v1/embeddings']);

function isTimeout(code: string | undefined): boolean {
  return code !== undefined && code.includes('timeout');
}

function anyTimeout(attempts: RequestSummary['failedAttempts']): boolean {
  for (const attempt of attempts) if (isTimeout(attempt.code)) return true;
  return false;
}

/**
 * Adds one finished request to a cell, in place (no allocation on the request path: plain loops,
 * no closures). It reads only the flat `RequestSummary` the pipeline already built for the log
 * line and metrics. `countsOfRequest` is the same for a fresh cell, for tests.
 */
export function addRequest(counts: RollupCounts, summary: RequestSummary, status: number): void {
  const { counters } = counts;
  counters.requests += 1;
  if (status < 400 && summary.streamErrorCode === undefined) counters.ok += 1;
  else if (status < 500) counters.client_errors += 1;
  else counters.server_errors += 1;
  const errorCode = summary.errorCode ?? summary.streamErrorCode;
  if (isTimeout(errorCode) || anyTimeout(summary.failedAttempts)) counters.timeouts += 1;
  // Each failed try was followed by another (served) or by the refusal; either way a retry was spent on it.
  counters.retries += summary.failedAttempts.length;
  if (summary.quality?.citations) counters.cited += 1;
  if (summary.quality?.refusal) counters.refusals += 1;
  let privilege = errorCode?.startsWith('access_denied') === true;
  const guardHits = summary.guard?.input;
  if (guardHits && guardHits.length > 0) {
    counters.guard_hits += 1;
    let injection = false;
    for (const hit of guardHits) {
      if (hit.category === 'prompt_injection' || hit.category === 'jailbreak') injection = true;
      // Asking for a model, tier, tool or data class one's roles do not grant counts as a privilege attempt too.
      if (hit.category === 'privilege_escalation') privilege = true;
    }
    if (injection) counters.injection_hits += 1;
  }
  if (privilege) counters.privilege_attempts += 1;
  const policy = summary.policy;
  if (policy) {
    let found = false;
    for (const type in policy.entities) {
      found = true;
      break;
    }
    if (found) counters.sensitive_hits += 1;
    if (policy.maskedTypes.length > 0) counters.masked += 1;
  }
  counters.tokens_in += summary.usage?.inputTokens ?? 0;
  counters.tokens_out += summary.usage?.outputTokens ?? 0;
  counts.costUsd += summary.costUsd ?? 0;
  const elapsedMs = Math.max(0, summary.durationMs);
  counts.latencyMsSum += elapsedMs;
  const slot = latencySlot(elapsedMs);
  counts.latency[slot] = (counts.latency[slot] ?? 0) + 1;
}

export function countsOfRequest(summary: RequestSummary, status: number): RollupCounts {
  const counts = emptyCounts();
  addRequest(counts, summary, status);
  return counts;
}

export function createRollupSubscriber(options: RollupSubscriberOptions): RollupSubscriber {
  const now = options.now ?? Date.now;
  const bucketMs = options.bucketSeconds * 1000;
  /** Cells not yet written, oldest first. */
  let pending: RollupCell[] = [];
  /** The current bucket's cells by department: one lookup per request, no key building. */
  let currentBucket = Number.NaN;
  let current = new Map<string, RollupCell>();
  let writing: Promise<void> = Promise.resolve();

  const cellFor = (department: string | undefined): RollupCounts => {
    const bucketStart = Math.floor(now() / bucketMs) * bucketMs;
    if (bucketStart !== currentBucket) {
      currentBucket = bucketStart;
      current = new Map();
    }
    const name = department === undefined || department === '' ? NO_DEPARTMENT : department;
    let cell = current.get(name);
    if (cell) return cell.counts;
    // Bounded: past MAX_DEPARTMENTS distinct names in a bucket, the rest share one cell.
    const bounded = current.size >= MAX_DEPARTMENTS ? OTHER_DEPARTMENT : name;
    cell = current.get(bounded);
    if (!cell) {
      cell = { bucketStart, department: bounded, counts: emptyCounts() };
      current.set(bounded, cell);
      pending.push(cell);
    }
    return cell.counts;
  };

  const flush = (): Promise<void> => {
    const cells = pending;
    pending = [];
    current = new Map();
    // Flushes run one after another, so two timers never race on the same rows.
    writing = writing.then(() => options.store.add(cells)).catch((error: unknown) => options.onError?.(error));
    return writing;
  };
  const prune = () => options.store.prune(now() - options.retentionDays * 86_400_000);

  const flushTimer = options.flushSeconds > 0 ? setInterval(() => void flush(), options.flushSeconds * 1000) : undefined;
  flushTimer?.unref();
  const pruneTimer = options.flushSeconds > 0 ? setInterval(() => void prune().catch((error: unknown) => options.onError?.(error)), PRUNE_INTERVAL_MS) : undefined;
  pruneTimer?.unref();

  return {
    observe(summary, status, route) {
      if (!summary || route === undefined || !CHARTED_ROUTES.has(route)) return;
      addRequest(cellFor(summary.department), summary, status);
    },
    observeFeedback(feedback, department) {
      const counters = cellFor(department).counters;
      if (feedback.rating === 'down') counters.feedback_down += 1;
      if (feedback.reviewerVerdict === 'rejected') counters.review_rejected += 1;
    },
    flush,
    prune,
    async close() {
      if (flushTimer) clearInterval(flushTimer);
      if (pruneTimer) clearInterval(pruneTimer);
      await flush();
    },
  };
}
