/**
 * Test-only child process: runs the budget race against a shared PostgreSQL schema and prints
 * its RaceResult as JSON. Usage: node --import tsx testing-budget-race-child.ts <url> <schema> <count>
 */
import { openStorage } from '../../../src/storage/open-storage.js';
import { createSqlBudgetLedger } from '../../../src/metering/sql-budget-ledger.js';
import { runBudgetRace } from './budget-race.js';

const [url, schema, count] = process.argv.slice(2);
if (!url || !schema || !count) throw new Error('usage: <url> <schema> <count>');
const storage = await openStorage(url, { schema, maxConnections: 20 });
try {
  process.stdout.write(`${JSON.stringify(await runBudgetRace(createSqlBudgetLedger(storage.executor), Number(count)))}\n`);
} finally {
  await storage.close();
}
