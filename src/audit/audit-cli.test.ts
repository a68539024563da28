import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlAuditStore } from './sql-audit-store.js';
import { createSqlSpendStore } from '../metering/sql-spend-store.js';
import { openMigratedStorage } from '../assembly/open-migrated-storage.js';
import type { Storage } from '../storage/open-storage.js';
import { runTsChild } from '../../test/support/run-ts-child.js';
import { sqliteTarget, type StorageTarget } from '../../test/support/storage/storage-test-targets.js';
import { CSV_COLUMNS } from './export-audit.js';
import { sealRecords } from './hash-chain.js';
import { CLI_URL } from '../../test/support/cli-entry.js';

const SECRET = 'cli-test-secret-0123456789';
const CLI = CLI_URL;
const cli = (args: string[], env: Record<string, string> = { SWITCHYARD_AUDIT_SECRET: SECRET }) => runTsChild(CLI, args, { env });

describe('audit, spend and migrate commands', () => {
  let target: StorageTarget;
  let storage: Storage;

  beforeAll(async () => {
    target = sqliteTarget();
    storage = await openMigratedStorage(target.url);
    const inputs = Array.from({ length: 6 }, (_, index) => ({
      time: `2026-11-0${index + 1}T08:00:00.000Z`,
      requestId: `req-${index}`,
      principal: { id: `key-${index % 2}`, department: index % 2 ? 'legal' : 'finance', roles: [] },
      inbound: 'openai-chat' as const,
      status: 'ok' as const,
      tokens: { input: 10, output: 2, estimated: false },
      costUsd: 0.5,
      tags: { note: '=cmd, "quoted"' },
    }));
    await createSqlAuditStore(storage.executor).append((head) => sealRecords(SECRET, head, inputs));
    const spend = createSqlSpendStore(storage.executor);
    for (const [index, department] of ['finance', 'finance', 'legal'].entries()) {
      await spend.record({ id: `s${index}`, time: '2026-11-10T00:00:00.000Z', requestId: `q${index}`, department, inputTokens: 100, outputTokens: 10, estimated: false, costMicros: 250_000, tags: {} });
    }
  });
  afterAll(async () => {
    await storage.close();
    await target.dispose();
  });

  it('migrate reports an up-to-date schema; verify exits 0, or 2 without a secret', async () => {
    const [migrate, verify, noSecret] = await Promise.all([
      cli(['migrate', '--storage', target.url]),
      cli(['audit', 'verify', '--storage', target.url]),
      cli(['audit', 'verify', '--storage', target.url], { SWITCHYARD_AUDIT_SECRET: '' }),
    ]);
    expect([migrate.code, migrate.stdout]).toEqual([0, 'schema up to date\n']);
    expect(verify.code).toBe(0);
    expect(verify.stdout.split('\n')[0]).toBe('audit chain intact: 6 records verified, head seq 6');
    // Without an anchor, verify says what it cannot see.
    expect(verify.stdout).toContain('no --anchor given');
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('SWITCHYARD_AUDIT_SECRET');
  });

  it('export writes JSON lines or CSV, oldest first, with filters', async () => {
    const [jsonl, csv] = await Promise.all([
      cli(['audit', 'export', '--format', 'jsonl', '--storage', target.url, '--department', 'finance']),
      cli(['audit', 'export', '--format', 'csv', '--storage', target.url, '--from', '2026-11-02', '--to', '2026-11-03T23:00:00Z']),
    ]);
    const records = jsonl.stdout.trim().split('\n').map((line) => JSON.parse(line) as { seq: number; hash: string; principal: { department: string } });
    expect(records.map((record) => record.seq)).toEqual([1, 3, 5]);
    expect(records.every((record) => record.principal.department === 'finance' && record.hash.length === 64)).toBe(true);
    const lines = csv.stdout.trim().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    // Cells holding commas or quotes are quoted, with quotes doubled.
    expect(lines[1]).toContain('"{""note"":""=cmd, \\""quoted\\""""}"');
  });

  it('spend groups a calendar month, as a table or JSON', async () => {
    const [json, text] = await Promise.all([
      cli(['spend', '--by', 'department', '--period', '2026-11', '--json', '--storage', target.url]),
      cli(['spend', '--by', 'department', '--period', '2026-11', '--storage', target.url]),
    ]);
    const report = JSON.parse(json.stdout) as { totalUsd: number; from: string; rows: { group: string; costUsd: number }[] };
    expect(report.totalUsd).toBe(0.75);
    expect(report.from).toBe('2026-10-31T16:00:00.000Z');
    expect(report.rows.map((row) => [row.group, row.costUsd])).toEqual([['finance', 0.5], ['legal', 0.25]]);
    expect(text.stdout).toMatch(/finance\s+2\s+200\s+20\s+0\.5000/);
  });

  it('verify exits 1 naming the first broken record and the kind of break', async () => {
    const [row] = await storage.executor.all<{ id: string; body: string }>('SELECT id, body FROM audit_records WHERE seq = 4');
    await storage.executor.run('UPDATE audit_records SET body = ? WHERE seq = 4', [row!.body.replace('"costUsd":0.5', '"costUsd":0.05')]);
    const broken = await cli(['audit', 'verify', '--storage', target.url]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toBe(`audit chain BROKEN: edited at record ${row!.id} (seq 4): record at position 4 does not match its HMAC\n`);
  });
});
