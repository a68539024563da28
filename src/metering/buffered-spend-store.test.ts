import { describe, expect, it } from 'vitest';
import { createBufferedSpendStore } from './buffered-spend-store.js';
import type { SpendEvent, SpendStore } from './spend-store.js';

function fakeStore() {
  const batches: SpendEvent[][] = [];
  const store: SpendStore = {
    record: async (event) => void batches.push([event]),
    recordMany: async (events) => void batches.push([...events]),
    report: async () => batches.flat().map((event) => ({ group: event.id, requests: 1, inputTokens: 0, outputTokens: 0, costMicros: event.costMicros })),
  };
  return { store, batches };
}

const event = (id: string): SpendEvent => ({ id, time: '2026-11-27T00:00:00.000Z', requestId: id, inputTokens: 1, outputTokens: 1, estimated: false, costMicros: 10, tags: {} });

describe('createBufferedSpendStore', () => {
  it('writes events recorded together in one group commit', async () => {
    const { store, batches } = fakeStore();
    const buffered = createBufferedSpendStore(store, { lingerMs: 1_000 });
    await Promise.all(['a', 'b', 'c'].map((id) => buffered.record(event(id))));
    expect(batches).toEqual([]);
    await buffered.flush();
    expect(batches.map((batch) => batch.map((item) => item.id))).toEqual([['a', 'b', 'c']]);
  });

  it('commits when the batch is full and before answering a report', async () => {
    const { store, batches } = fakeStore();
    const buffered = createBufferedSpendStore(store, { lingerMs: 1_000, maxBatch: 2 });
    await buffered.record(event('a'));
    await buffered.record(event('b'));
    await buffered.record(event('c'));
    const rows = await buffered.report('department', '', '');
    expect(rows.map((row) => row.group)).toEqual(['a', 'b', 'c']);
    expect(batches).toHaveLength(2);
  });

  it('reports a failed commit instead of throwing into the request', async () => {
    const errors: unknown[] = [];
    const failing: SpendStore = { record: async () => undefined, recordMany: async () => Promise.reject(new Error('disk full')), report: async () => [] };
    const buffered = createBufferedSpendStore(failing, { onError: (error) => errors.push(error) });
    await buffered.record(event('a'));
    await buffered.flush();
    expect(errors).toHaveLength(1);
  });
});
