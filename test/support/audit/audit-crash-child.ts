/**
 * Test-only child process for the crash test: writes audit records under load and prints
 * `ack <requestId>` for each one `appendDurable` confirmed, until it is SIGKILLed.
 * Usage: node --import tsx testing-audit-crash-child.ts <sqlite-url> <commit|spool> <spool-path>
 */
import { ALL_MIGRATIONS } from '../../../src/assembly/all-migrations.js';
import { openStorage } from '../../../src/storage/open-storage.js';
import { runMigrations } from '../../../src/storage/run-migrations.js';
import { createSqlAuditStore } from '../../../src/audit/sql-audit-store.js';
import { createAuditSpool } from '../../../src/audit/audit-spool.js';
import { createAuditWriter } from '../../../src/audit/audit-writer.js';
import { createFlakyAuditStore } from './audit-stores.js';

const [url, mode, spoolPath] = process.argv.slice(2);
if (!url || !spoolPath || (mode !== 'commit' && mode !== 'spool')) throw new Error('usage: <url> <commit|spool> <spool-path>');
const storage = await openStorage(url);
await runMigrations(storage.executor, ALL_MIGRATIONS);
const store = createFlakyAuditStore(createSqlAuditStore(storage.executor));
// Spool mode simulates a store that went away: every record must survive via the spool.
store.down = mode === 'spool';
const writer = createAuditWriter({
  store,
  secret: 'crash-secret',
  onFailure: mode === 'spool' ? 'spool' : 'reject',
  spool: createAuditSpool(spoolPath),
  batchSize: 64,
  retryDelayMs: 60_000,
});

let counter = 0;
async function worker(): Promise<void> {
  for (;;) {
    const requestId = `${process.pid}-${(counter += 1)}`;
    await writer.appendDurable({ time: new Date().toISOString(), requestId, inbound: 'openai-chat', status: 'ok' });
    process.stdout.write(`ack ${requestId}\n`);
  }
}
await Promise.all(Array.from({ length: 32 }, () => worker()));
