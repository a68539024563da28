import type { Migration } from '../storage/migration.js';
import { COUNTER_FIELDS, LATENCY_COLUMNS } from './rollup-counts.js';

/**
 * The console's time series (ids 0600–0699): one row per bucket start (epoch ms) and department.
 * Rows only ever grow by addition (replicas flush into the same row) and are deleted by age.
 */
const latencyColumns = Array.from({ length: LATENCY_COLUMNS }, (_, slot) => `latency_${slot}`);

function table(integer: string, real: string): string {
  const columns = [...COUNTER_FIELDS, ...latencyColumns].map((name) => `  ${name} ${integer} NOT NULL DEFAULT 0,`).join('\n');
  return `CREATE TABLE console_rollup (
  bucket_start ${integer} NOT NULL,
  department TEXT NOT NULL,
${columns}
  latency_ms_sum ${real} NOT NULL DEFAULT 0,
  cost_usd ${real} NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket_start, department)
);`;
}

export const consoleMigrations: readonly Migration[] = [
  { id: '0600-console-rollup', sqlite: table('INTEGER', 'REAL'), postgres: table('BIGINT', 'DOUBLE PRECISION') },
];

export const ROLLUP_LATENCY_COLUMNS: readonly string[] = latencyColumns;
