// `npm run bench:audit` — what each audit.durability mode costs one request at concurrency 1:
// wall time of one `appendDurable` (enqueue → group commit → acknowledged), one after another,
// on SQLite in a temporary folder (the disk of this machine). Figures: BENCHMARKS.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditRecordInput } from '../src/audit/audit-record.js';
import { createAuditWriter } from '../src/audit/audit-writer.js';
import { ALL_MIGRATIONS } from '../src/assembly/all-migrations.js';
import { openStorage } from '../src/storage/open-storage.js';
import { runMigrations } from '../src/storage/run-migrations.js';
import { createSqlAuditStore } from '../src/audit/sql-audit-store.js';

const WARMUP = 200;
const RUNS = Number(process.argv[2] ?? 2_000);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(durability: 'process' | 'power-loss'): Promise<Record<string, number | string>> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-audit-bench-'));
  const storage = await openStorage(`sqlite:${join(directory, 'audit.db')}`, { durability });
  try {
    await runMigrations(storage.executor, ALL_MIGRATIONS);
    const writer = createAuditWriter({ store: createSqlAuditStore(storage.executor), secret: 'bench-secret-0123456789', onFailure: 'reject' });
    const record = (index: number): AuditRecordInput => ({ time: new Date().toISOString(), requestId: `bench-${index}`, inbound: 'openai-chat', status: 'ok' });
    for (let index = 0; index < WARMUP; index++) await writer.appendDurable(record(index));
    const times: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let index = 0; index < RUNS; index++) {
      const start = performance.now();
      await writer.appendDurable(record(WARMUP + index));
      times.push(performance.now() - start);
    }
    const cpu = process.cpuUsage(cpuBefore);
    await writer.close();
    times.sort((a, b) => a - b);
    return {
      durability,
      'wall p50 ms': Number(percentile(times, 50).toFixed(3)),
      'wall p90 ms': Number(percentile(times, 90).toFixed(3)),
      'wall p99 ms': Number(percentile(times, 99).toFixed(3)),
      'CPU ms/record': Number(((cpu.user + cpu.system) / 1000 / RUNS).toFixed(3)),
    };
  } finally {
    await storage.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

// Interleaved, twice each: drift on a shared machine hits both modes alike.
const rows = [];
for (let round = 0; round < 2; round++) for (const durability of ['process', 'power-loss'] as const) rows.push(await measure(durability));
console.table(rows);
