/**
 * Test-only child process: opens storage and runs every migration, printing what it applied.
 * The conformance suite starts two at once to prove concurrent starts are safe.
 * Usage: node --import tsx testing-migrate-child.ts <storage-url> [postgres-schema]
 */
import { ALL_MIGRATIONS } from '../../../src/assembly/all-migrations.js';
import { openStorage } from '../../../src/storage/open-storage.js';
import { runMigrations } from '../../../src/storage/run-migrations.js';

const [url, schema] = process.argv.slice(2);
if (!url) throw new Error('usage: testing-migrate-child.ts <storage-url> [schema]');
const storage = await openStorage(url, schema ? { schema } : {});
try {
  const result = await runMigrations(storage.executor, ALL_MIGRATIONS);
  process.stdout.write(`${JSON.stringify(result.applied)}\n`);
} finally {
  await storage.close();
}
