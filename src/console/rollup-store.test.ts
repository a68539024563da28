import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestSummary } from '../model/request-summary.js';
import type { Storage } from '../storage/open-storage.js';
import { runMigrations } from '../storage/run-migrations.js';
import { postgresAvailability, postgresTarget, sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { emptyCounts, quantileFromHistogram } from './rollup-counts.js';
import { consoleMigrations } from './rollup-migrations.js';
import { createRollupStore, type RollupStore } from './rollup-store.js';
import { countsOfRequest, createRollupSubscriber, NO_DEPARTMENT, OTHER_DEPARTMENT } from './rollup-subscriber.js';

const postgres = await postgresAvailability();
const targets: Array<[string, () => Promise<StorageTarget>]> = [['sqlite', async () => sqliteTarget()]];
if (postgres.run) targets.push(['postgres', postgresTarget]);

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 10, 30, 15, 0, 0);

/** The flat summary the pipeline publishes on switchyard:request:finish. */
function summary(overrides: Partial<RequestSummary> = {}): RequestSummary {
  return {
    requestId: 'req_1',
    inbound: 'openai-chat',
    status: 200,
    durationMs: 120,
    principalId: 'k1',
    department: 'claims',
    failedAttempts: [],
    streamed: false,
    usage: { inputTokens: 10, outputTokens: 5 },
    costUsd: 0.25,
    ...overrides,
  };
}

describe.each(targets)('console rollup on %s', (_name, makeTarget) => {
  let target: StorageTarget;
  let storage: Storage;
  let store: RollupStore;
  let clock = T0;

  beforeAll(async () => {
    target = await makeTarget();
    storage = await target.open();
    await runMigrations(storage.executor, [consoleMigrations]);
    store = createRollupStore(storage.executor);
  });
  afterAll(async () => {
    await storage?.close();
    await target?.dispose();
  });

  it('adds requests into (bucket, department) cells across flushes and replicas, and charts them per step', async () => {
    const subscribers = [0, 1].map(() => createRollupSubscriber({ store, bucketSeconds: 300, retentionDays: 2, flushSeconds: 0, now: () => clock }));
    const [first, second] = subscribers as [ReturnType<typeof createRollupSubscriber>, ReturnType<typeof createRollupSubscriber>];
    first.observe(summary(), 200, '/v1/chat/completions');
    second.observe(summary(), 200, '/v1/chat/completions');
    second.observe(summary({ errorCode: 'upstream_timeout', failedAttempts: [{ deployment: 'a', code: 'upstream_timeout', reason: 'x' } as never] }), 504, '/v1/chat/completions');
    first.observe(summary({ principalId: undefined, department: undefined }), 403, '/v1/messages');
    // Not model calls: never charted.
    first.observe(summary(), 200, '/admin/keys');
    first.observe(undefined, 401, '/v1/chat/completions');
    clock = T0 + 6 * MINUTE; // next bucket
    first.observe(summary(), 200, '/v1/embeddings');
    first.observeFeedback({ rating: 'down', reviewerVerdict: 'rejected' }, 'claims');
    await Promise.all([first.flush(), second.flush()]);
    await first.flush(); // nothing buffered: writes nothing, changes nothing

    const series = await store.series({ from: T0, to: T0 + 10 * MINUTE, stepMs: 5 * MINUTE });
    expect(series.map((point) => point.start)).toEqual([T0, T0 + 5 * MINUTE]);
    const [bucket1, bucket2] = series.map((point) => point.counts.counters);
    expect(bucket1).toMatchObject({ requests: 4, ok: 2, client_errors: 1, server_errors: 1, timeouts: 1, retries: 1, tokens_in: 40 });
    expect(bucket2).toMatchObject({ requests: 1, ok: 1, feedback_down: 1, review_rejected: 1 });
    expect(series[0]?.counts.costUsd).toBeCloseTo(1.0);

    const claims = await store.series({ from: T0, to: T0 + 10 * MINUTE, stepMs: 10 * MINUTE, department: 'claims' });
    expect(claims[0]?.counts.counters.requests).toBe(4);
    const departments = await store.byDepartment(T0, T0 + 10 * MINUTE);
    expect(departments.map((entry) => [entry.department, entry.counts.counters.requests])).toEqual([
      ['claims', 4],
      [NO_DEPARTMENT, 1],
    ]);
  });

  it('deletes buckets older than the retention, by the injected clock', async () => {
    clock = T0 + 2 * 86_400_000 + 3 * MINUTE;
    const subscriber = createRollupSubscriber({ store, bucketSeconds: 300, retentionDays: 2, flushSeconds: 0, now: () => clock });
    expect(await subscriber.prune()).toBe(2); // both T0 cells; the T0+5 min one is younger than 2 days
    const left = await store.series({ from: T0, to: T0 + 10 * MINUTE, stepMs: 5 * MINUTE });
    expect(left.map((point) => point.counts.counters.requests)).toEqual([0, 1]);
  });
});

describe('rollup counting', () => {
  it('counts guard, privilege, sensitive-data and masking signals of one request', () => {
    const counts = countsOfRequest(
      summary({
        durationMs: 80,
        guard: { input: [{ category: 'prompt_injection', action: 'flag' }, { category: 'privilege_escalation', action: 'flag' }], output: [] },
        policy: { action: 'allow', rule: 'r1', dataClass: 'internal', entities: { EMAIL: 2, TW_NATIONAL_ID: 1 }, maskedTypes: ['EMAIL'] },
        quality: { refusal: false, citations: true },
      }),
      200,
    );
    expect(counts.counters).toMatchObject({ injection_hits: 1, privilege_attempts: 1, guard_hits: 1, sensitive_hits: 1, masked: 1, cited: 1, ok: 1 });
    expect(counts.latency[2]).toBe(1); // 80 ms ≤ 100 ms bound
    const denied = countsOfRequest(summary({ errorCode: 'access_denied_model', durationMs: 5 }), 403);
    expect(denied.counters).toMatchObject({ privilege_attempts: 1, client_errors: 1, ok: 0 });
  });

  it('reads percentiles off the histogram by interpolation', () => {
    const counts = emptyCounts();
    counts.latency[3] = 100; // 100–250 ms
    expect(quantileFromHistogram(counts.latency, 0.5)).toBeCloseTo(175);
    expect(quantileFromHistogram(emptyCounts().latency, 0.5)).toBeNull();
  });

  it('bounds the departments buffered between flushes', async () => {
    const added: string[] = [];
    const subscriber = createRollupSubscriber({
      store: { add: async (cells) => void added.push(...cells.map((cell) => cell.department)), series: async () => [], byDepartment: async () => [], prune: async () => 0 },
      bucketSeconds: 300,
      retentionDays: 1,
      flushSeconds: 0,
      now: () => T0,
    });
    for (let index = 0; index < 250; index += 1) subscriber.observe(summary({ principalId: 'u', department: `d${index}` }), 200, '/v1/chat/completions');
    await subscriber.flush();
    expect(added).toHaveLength(201);
    expect(added).toContain(OTHER_DEPARTMENT);
  });
});
