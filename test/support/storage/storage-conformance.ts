import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditRecordInput } from '../../../src/audit/audit-record.js';
import { applyRetention, writeCheckpoint } from '../../../src/audit/audit-checkpoints.js';
import { sealRecords } from '../../../src/audit/hash-chain.js';
import { verifyAuditStore } from '../../../src/audit/verify-audit-store.js';
import { ALL_MIGRATIONS } from '../../../src/assembly/all-migrations.js';
import { createSqlConfigVersionStore } from '../../../src/storage/config-version-store.js';
import type { Storage } from '../../../src/storage/open-storage.js';
import { runTsChild } from '../run-ts-child.js';
import { runMigrations } from '../../../src/storage/run-migrations.js';
import { createSqlAuditStore } from '../../../src/audit/sql-audit-store.js';
import { createSqlBudgetLedger } from '../../../src/metering/sql-budget-ledger.js';
import { createSqlSpendStore } from '../../../src/metering/sql-spend-store.js';
import type { StorageTarget } from './storage-test-targets.js';

/**
 * The one suite every storage implementation must pass (run by storage-conformance.test.ts
 * against SQLite and a real PostgreSQL). It tests the stores through their room contracts.
 */
const SECRET = 'conformance-secret';

function auditInput(index: number, overrides: Partial<AuditRecordInput> = {}): AuditRecordInput {
  return {
    time: new Date(Date.UTC(2026, 10, 1) + index * 60_000).toISOString(),
    requestId: `req-${index}`,
    principal: { id: `key-${index % 2}`, department: index % 2 === 0 ? 'finance' : 'legal', roles: [] },
    inbound: 'openai-chat',
    alias: 'chat',
    deployment: index % 3 === 0 ? 'onprem' : 'azure',
    tier: index % 3 === 0 ? 'on-prem' : 'private-cloud',
    dataClass: 'internal',
    status: index % 5 === 0 ? 'denied' : 'ok',
    ...overrides,
  };
}

export function runStorageConformance(name: string, createTarget: () => Promise<StorageTarget>): void {
  describe(`storage conformance: ${name}`, () => {
    let target: StorageTarget;
    let storage: Storage;

    beforeAll(async () => {
      target = await createTarget();
      storage = await target.open();
      const first = await runMigrations(storage.executor, ALL_MIGRATIONS);
      expect(first.applied.length).toBeGreaterThan(0);
    });
    afterAll(async () => {
      await storage?.close();
      await target?.dispose();
    });

    it('applies migrations once, also when two processes start together', async () => {
      const again = await runMigrations(storage.executor, ALL_MIGRATIONS);
      expect(again.applied).toEqual([]);
      // Two real processes: SQLite's lock is per connection and blocks the whole event loop,
      // so two connections in one process would not model two gateways.
      const fresh = await createTarget();
      try {
        const child = new URL('./migrate-child.ts', import.meta.url);
        const args = fresh.schema ? [fresh.url, fresh.schema] : [fresh.url];
        const results = await Promise.all([runTsChild(child, args), runTsChild(child, args)]);
        for (const result of results) expect(result.code, result.stderr).toBe(0);
        const applied = results.flatMap((result) => JSON.parse(result.stdout) as string[]).sort();
        expect(applied).toEqual(ALL_MIGRATIONS.flat().map((migration) => migration.id).sort());
      } finally {
        await fresh.dispose();
      }
    });

    it('rolls a failed transaction back completely', async () => {
      const versions = createSqlConfigVersionStore(storage.executor);
      await expect(
        storage.executor.transaction(async (transaction) => {
          await createSqlConfigVersionStore(transaction).save({ id: 'rolled-back', createdAt: '2026-11-01T00:00:00.000Z', source: 'x' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await versions.get('rolled-back')).toBeUndefined();
      await versions.save({ id: 'v1', createdAt: '2026-11-01T00:00:00.000Z', author: 'ops', source: 'version: 1' });
      await versions.save({ id: 'v1', createdAt: '2026-12-01T00:00:00.000Z', source: 'changed' });
      expect(await versions.get('v1')).toEqual({ id: 'v1', createdAt: '2026-11-01T00:00:00.000Z', author: 'ops', source: 'version: 1' });
    });

    describe('audit store', () => {
      it('appends concurrent batches into one gap-free chain that verifies', async () => {
        const store = createSqlAuditStore(storage.executor);
        await Promise.all(
          [0, 1, 2, 3].map((batch) =>
            store.append((head) => sealRecords(SECRET, head, Array.from({ length: 5 }, (_, index) => auditInput(batch * 5 + index + 1)))),
          ),
        );
        const rows = await store.readRows(0, 100);
        expect(rows.map((row) => row.seq)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
        expect(await verifyAuditStore(store, SECRET)).toMatchObject({ ok: true, checked: 20 });
        expect((await store.existingIds([rows[0]!.id, 'nope'])).has(rows[0]!.id)).toBe(true);
      });

      it('filters and paginates newest first with a cursor', async () => {
        const store = createSqlAuditStore(storage.executor);
        const seen: number[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.query({ department: 'finance', status: 'ok' }, 3, cursor);
          seen.push(...page.records.map((record) => record.seq));
          for (const record of page.records) expect([record.principal?.department, record.status]).toEqual(['finance', 'ok']);
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen.length).toBeGreaterThan(3);
        expect(seen).toEqual([...seen].sort((a, b) => b - a));
        const ranged = await store.query({ from: auditInput(3).time, to: auditInput(4).time, tier: 'on-prem' }, 10);
        expect((await store.query({ principal: 'key-1' }, 100)).records).toHaveLength(10);
        expect(ranged.records.map((record) => record.requestId)).toEqual(['req-3']);
      });

      it('detects an edited row and a truncated tail through SQL tampering', async () => {
        const store = createSqlAuditStore(storage.executor);
        const checkpoint = await writeCheckpoint(store, SECRET);
        const [victim] = await storage.executor.all<{ body: string }>('SELECT body FROM audit_records WHERE seq = 7');
        await storage.executor.run('UPDATE audit_records SET body = ? WHERE seq = 7', [victim!.body.replace('"inbound":"openai-chat"', '"inbound":"anthropic-messages"')]);
        expect((await verifyAuditStore(store, SECRET)).firstBreak).toMatchObject({ kind: 'edited', seq: 7 });
        await storage.executor.run('UPDATE audit_records SET body = ? WHERE seq = 7', [victim!.body]);
        // Hiding a record from department queries by editing only its index column is caught too.
        const [hidden] = await storage.executor.all<{ department: string }>('SELECT department FROM audit_records WHERE seq = 9');
        await storage.executor.run(`UPDATE audit_records SET department = 'nobody' WHERE seq = 9`);
        expect((await verifyAuditStore(store, SECRET)).firstBreak).toMatchObject({ kind: 'edited', seq: 9, detail: 'column department of seq 9 differs from the signed record' });
        await storage.executor.run('UPDATE audit_records SET department = ? WHERE seq = 9', [hidden!.department]);

        const [tail] = await storage.executor.all('SELECT * FROM audit_records WHERE seq = 20');
        await storage.executor.run('DELETE FROM audit_records WHERE seq = 20');
        expect((await verifyAuditStore(store, SECRET)).firstBreak).toMatchObject({ kind: 'deleted', recordId: checkpoint!.recordId });
        const columns = Object.keys(tail!);
        await storage.executor.run(
          `INSERT INTO audit_records (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
          Object.values(tail!) as (string | number | null)[],
        );
        expect((await verifyAuditStore(store, SECRET)).ok).toBe(true);
      });

      it('keeps the chain verifiable after retention, and continues it', async () => {
        const store = createSqlAuditStore(storage.executor);
        // Concurrent batches may commit in any order, so find the prefix older than record 10.
        const times = (await store.readRows(0, 100)).map((row) => (JSON.parse(row.body) as { time: string }).time);
        const cutoffTime = auditInput(11).time;
        const keepFrom = times.findIndex((time) => time >= cutoffTime);
        const now = new Date(Date.parse(cutoffTime) + 30 * 86_400_000);
        const result = await applyRetention(store, SECRET, 30, now);
        expect(result.deleted).toBe(keepFrom);
        expect((await store.readRows(0, 1))[0]?.seq).toBe(keepFrom + 1);
        expect((await verifyAuditStore(store, SECRET)).ok).toBe(true);
        await store.append((head) => sealRecords(SECRET, head, [auditInput(21)]));
        expect(await verifyAuditStore(store, SECRET)).toMatchObject({ ok: true, head: { seq: 21 } });
        expect(await verifyAuditStore(store, SECRET, { from: auditInput(15).time, to: auditInput(18).time })).toMatchObject({ ok: true });
      });
    });

    describe('budget ledger', () => {
      const line = (budgetId: string, limitMicros: number) => ({ budgetId, periodKey: '2026-11', limitMicros });
      const now = '2026-11-05T00:00:00.000Z';

      it('reserves until the limit, all or nothing across lines', async () => {
        const ledger = createSqlBudgetLedger(storage.executor);
        expect(await ledger.reserve({ reservationId: 'r1', lines: [line('team:a', 100), line('dept:x', 1_000)], amountMicros: 60, now })).toEqual({ ok: true });
        const refused = await ledger.reserve({ reservationId: 'r2', lines: [line('dept:x', 1_000), line('team:a', 100)], amountMicros: 60, now });
        expect(refused).toMatchObject({ ok: false, budgetId: 'team:a', reservedMicros: 60, limitMicros: 100 });
        // The refused request must not have kept its reservation on the department line.
        expect(await ledger.usage('dept:x', '2026-11')).toEqual({ spentMicros: 0, reservedMicros: 60 });
      });

      it('settles to the actual cost once, and releases', async () => {
        const ledger = createSqlBudgetLedger(storage.executor);
        const settled = await ledger.settle('r1', 25);
        expect(settled.find((entry) => entry.budgetId === 'team:a')).toMatchObject({ spentMicros: 25, reservedMicros: 0, spentBeforeMicros: 0 });
        expect(await ledger.settle('r1', 25)).toEqual([]);
        expect(await ledger.usage('team:a', '2026-11')).toEqual({ spentMicros: 25, reservedMicros: 0 });
        await ledger.reserve({ reservationId: 'r3', lines: [line('team:a', 100)], amountMicros: 75, now });
        expect((await ledger.reserve({ reservationId: 'r4', lines: [line('team:a', 100)], amountMicros: 1, now })).ok).toBe(false);
        await ledger.release('r3');
        expect(await ledger.usage('team:a', '2026-11')).toEqual({ spentMicros: 25, reservedMicros: 0 });
        await ledger.reserve({ reservationId: 'old', lines: [line('team:a', 100)], amountMicros: 10, now: '2026-11-01T00:00:00.000Z' });
        expect(await ledger.releaseStale('2026-11-02T00:00:00.000Z')).toBe(1);
        expect((await ledger.usage('team:a', '2026-11')).reservedMicros).toBe(0);
      });
    });

    it('reports spend grouped by every dimension', async () => {
      const spend = createSqlSpendStore(storage.executor);
      const base = { inputTokens: 100, outputTokens: 10, estimated: false, alias: 'chat', tier: 'api' };
      await spend.record({ ...base, id: 'e1', time: '2026-11-02T00:00:00.000Z', requestId: 'q1', principalId: 'k1', department: 'finance', team: 't1', deployment: 'd1', costMicros: 500, tags: { application: 'bot', feature: 'sum' } });
      await spend.record({ ...base, id: 'e2', time: '2026-11-03T00:00:00.000Z', requestId: 'q2', principalId: 'k2', department: 'finance', team: 't2', deployment: 'd2', costMicros: 300, tags: { application: 'bot' } });
      await spend.record({ ...base, id: 'e3', time: '2026-11-04T00:00:00.000Z', requestId: 'q3', principalId: 'k2', department: 'legal', deployment: 'd2', costMicros: 900, tags: {} });
      await spend.record({ ...base, id: 'e4', time: '2026-12-01T00:00:00.000Z', requestId: 'q4', department: 'legal', costMicros: 7, tags: {} });
      await spend.record({ ...base, id: 'e1', time: '2026-11-02T00:00:00.000Z', requestId: 'q1', costMicros: 500, tags: {} });
      const from = '2026-11-01T00:00:00.000Z';
      const to = '2026-12-01T00:00:00.000Z';
      expect(await spend.report('department', from, to)).toEqual([
        { group: 'legal', requests: 1, inputTokens: 100, outputTokens: 10, costMicros: 900, unpricedRequests: 0 },
        { group: 'finance', requests: 2, inputTokens: 200, outputTokens: 20, costMicros: 800, unpricedRequests: 0 },
      ]);
      expect((await spend.report('tag', from, to)).map((row) => [row.group, row.costMicros])).toEqual([
        ['application=bot', 800],
        ['feature=sum', 500],
      ]);
      expect((await spend.report('key', from, to)).map((row) => [row.group, row.costMicros])).toEqual([
        ['k2', 1200],
        ['k1', 500],
      ]);
      expect((await spend.report('team', from, to)).map((row) => row.group)).toEqual([null, 't1', 't2']);
    });
  });
}
