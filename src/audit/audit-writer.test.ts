import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../assembly/all-migrations.js';
import { openStorage, type Storage } from '../storage/open-storage.js';
import { runMigrations } from '../storage/run-migrations.js';
import { createSqlAuditStore } from './sql-audit-store.js';
import type { AuditRecordInput } from './audit-record.js';
import { createAuditSpool } from './audit-spool.js';
import type { AuditStore } from './audit-store.js';
import { createAuditWriter } from './audit-writer.js';
import { AuditUnavailableError } from './audit-unavailable-error.js';
import { createFlakyAuditStore } from '../../test/support/audit/audit-stores.js';
import { verifyAuditStore } from './verify-audit-store.js';

const SECRET = 'writer-secret';
const record = (index: number): AuditRecordInput => ({
  time: new Date(Date.UTC(2026, 10, 1) + index).toISOString(),
  requestId: `req-${index}`,
  inbound: 'openai-chat',
  status: 'ok',
});

describe('audit writer', () => {
  let directory: string;
  let storage: Storage;
  let store: AuditStore;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'switchyard-writer-'));
    storage = await openStorage(`sqlite:${join(directory, 'audit.db')}`);
    await runMigrations(storage.executor, ALL_MIGRATIONS);
    store = createSqlAuditStore(storage.executor);
  });
  afterEach(async () => {
    await storage.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('group-commits many records into a verifiable chain; appendDurable resolves after commit', async () => {
    const writer = createAuditWriter({ store, secret: SECRET, onFailure: 'reject', batchSize: 50, checkpointEvery: 100 });
    for (let index = 0; index < 450; index += 1) writer.append(record(index));
    await writer.appendDurable(record(450));
    expect((await store.query({}, 1)).records[0]?.requestId).toBe('req-450');
    await writer.close();
    expect(writer.stats()).toMatchObject({ committed: 451, queued: 0, dropped: 0 });
    expect(await verifyAuditStore(store, SECRET)).toMatchObject({ ok: true, checked: 451 });
    expect((await store.checkpoints()).length).toBeGreaterThanOrEqual(4);
  });

  it('on_failure reject: unhealthy while the store is down, commits once it returns', async () => {
    const flaky = createFlakyAuditStore(store);
    const writer = createAuditWriter({ store: flaky, secret: SECRET, onFailure: 'reject', retryDelayMs: 20, durableTimeoutMs: 100 });
    flaky.down = true;
    await expect(writer.appendDurable(record(1))).rejects.toBeInstanceOf(AuditUnavailableError);
    expect(writer.healthy()).toBe(false);
    flaky.down = false;
    await writer.flush();
    expect(writer.healthy()).toBe(true);
    expect((await store.query({}, 10)).records.map((entry) => entry.requestId)).toEqual(['req-1']);
    await writer.close();
  });

  it('durable callers each give up on their own deadline while the store hangs; the records stay queued', async () => {
    const flaky = createFlakyAuditStore(store);
    const writer = createAuditWriter({ store: flaky, secret: SECRET, onFailure: 'reject', retryDelayMs: 20, durableTimeoutMs: 50 });
    flaky.down = true;
    const first = writer.appendDurable(record(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    const later = [writer.appendDurable(record(2)), writer.appendDurable(record(3))];
    await expect(first).rejects.toBeInstanceOf(AuditUnavailableError);
    for (const pending of later) await expect(pending).rejects.toBeInstanceOf(AuditUnavailableError);
    flaky.down = false;
    await writer.appendDurable(record(4));
    expect((await store.query({}, 10)).records.map((entry) => entry.requestId).sort()).toEqual(['req-1', 'req-2', 'req-3', 'req-4']);
    await writer.close();
  });

  it('on_failure spool: acknowledges from the fsynced spool, replays in order when the store returns', async () => {
    const flaky = createFlakyAuditStore(store);
    const spool = createAuditSpool(join(directory, 'spool.jsonl'));
    const writer = createAuditWriter({ store: flaky, secret: SECRET, onFailure: 'spool', spool, retryDelayMs: 30 });
    await writer.appendDurable(record(1));
    flaky.down = true;
    await Promise.all([2, 3, 4].map((index) => writer.appendDurable(record(index))));
    expect(writer.healthy()).toBe(true);
    expect(writer.stats().spooled).toBe(3);
    expect(readFileSync(spool.path, 'utf8').trim().split('\n')).toHaveLength(3);
    writer.append(record(5));
    flaky.down = false;
    await writer.flush();
    const stored = (await store.query({}, 10)).records.map((entry) => entry.requestId).reverse();
    expect(stored).toEqual(['req-1', 'req-2', 'req-3', 'req-4', 'req-5']);
    expect(readFileSync(spool.path, 'utf8')).toBe('');
    // Record 5 arrived while the spool was pending, so it queued behind the spool (order).
    expect(writer.stats()).toMatchObject({ replayed: 4, committed: 5 });
    expect((await verifyAuditStore(store, SECRET)).ok).toBe(true);
    await writer.close();
  });

  it('refuses and counts records when the queue is full', async () => {
    const flaky = createFlakyAuditStore(store);
    flaky.down = true;
    const writer = createAuditWriter({ store: flaky, secret: SECRET, onFailure: 'reject', maxQueue: 3, retryDelayMs: 10_000 });
    for (let index = 0; index < 3; index += 1) writer.append(record(index));
    expect(() => writer.append(record(4))).toThrow(AuditUnavailableError);
    expect(writer.stats()).toMatchObject({ dropped: 1, healthy: false });
    await writer.close(50);
    expect(writer.stats().dropped).toBe(4);
  });
});
