import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_MIGRATIONS } from '../assembly/all-migrations.js';
import { openStorage } from '../storage/open-storage.js';
import { runMigrations } from '../storage/run-migrations.js';
import { createSqlAuditStore } from './sql-audit-store.js';
import { createAuditSpool } from './audit-spool.js';
import { createAuditWriter } from './audit-writer.js';
import { verifyAuditStore } from './verify-audit-store.js';

const CHILD = fileURLToPath(new URL('../../test/support/audit/audit-crash-child.ts', import.meta.url));

/** Runs the child until it has acknowledged `target` records, then SIGKILLs it mid-load. */
function runAndKill(args: string[], target: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let buffer = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
      if (acked.length >= target) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(acked) : reject(new Error(`child exited on its own: ${stderr}`)),
    );
  });
}

describe('audit crash safety', () => {
  let directory: string;
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it.each(['commit', 'spool'] as const)(
    'keeps every acknowledged record after SIGKILL (%s)',
    async (mode) => {
      directory = mkdtempSync(join(tmpdir(), 'switchyard-crash-'));
      const url = `sqlite:${join(directory, 'audit.db')}`;
      const spoolPath = join(directory, 'spool.jsonl');
      const acked = await runAndKill([url, mode, spoolPath], 400);
      expect(acked.length).toBeGreaterThanOrEqual(400);

      // "Restart": a fresh writer on the same files replays whatever was spooled.
      const storage = await openStorage(url);
      try {
        await runMigrations(storage.executor, ALL_MIGRATIONS);
        const store = createSqlAuditStore(storage.executor);
        const writer = createAuditWriter({ store, secret: 'crash-secret', onFailure: 'spool', spool: createAuditSpool(spoolPath) });
        await writer.flush();
        await writer.close();
        const stored = new Set(
          (await storage.executor.all<{ request_id: string }>('SELECT request_id FROM audit_records')).map((row) => row.request_id),
        );
        const missing = acked.filter((requestId) => !stored.has(requestId));
        expect(missing).toEqual([]);
        expect((await verifyAuditStore(store, 'crash-secret')).ok).toBe(true);
      } finally {
        await storage.close();
      }
    },
    30_000,
  );
});
