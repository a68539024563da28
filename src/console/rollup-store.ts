import { toNumber, type SqlExecutor, type SqlRow, type SqlValue } from '../storage/sql-executor.js';
import { addCounts, COUNTER_FIELDS, emptyCounts, LATENCY_COLUMNS, type RollupCounts } from './rollup-counts.js';
import { ROLLUP_LATENCY_COLUMNS } from './rollup-migrations.js';

/** One stored cell: counts for a bucket and a department. */
export interface RollupCell {
  bucketStart: number;
  department: string;
  counts: RollupCounts;
}

export interface SeriesQuery {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** Width of each point, ms (a multiple of the bucket length reads best). */
  stepMs: number;
  department?: string;
}

export interface RollupStore {
  /** Adds each cell to its stored row (creating it), in one transaction. */
  add(cells: readonly RollupCell[]): Promise<void>;
  /** Points `[from, to)` every `stepMs`, each the sum of the buckets starting in it. */
  series(query: SeriesQuery): Promise<Array<{ start: number; counts: RollupCounts }>>;
  /** Totals per department over `[from, to)`, largest cost first. */
  byDepartment(from: number, to: number): Promise<Array<{ department: string; counts: RollupCounts }>>;
  /** Deletes buckets that started before `before` (epoch ms); returns how many rows went. */
  prune(before: number): Promise<number>;
}

const ALL_COLUMNS = [...COUNTER_FIELDS, ...ROLLUP_LATENCY_COLUMNS, 'latency_ms_sum', 'cost_usd'];
const SUMS = ALL_COLUMNS.map((column) => `SUM(${column}) AS ${column}`).join(', ');

function valuesOf(counts: RollupCounts): SqlValue[] {
  return [...COUNTER_FIELDS.map((field) => counts.counters[field]), ...counts.latency, counts.latencyMsSum, counts.costUsd];
}

function countsFrom(row: SqlRow): RollupCounts {
  const counts = emptyCounts();
  for (const field of COUNTER_FIELDS) counts.counters[field] = toNumber(row[field]);
  for (let slot = 0; slot < LATENCY_COLUMNS; slot += 1) counts.latency[slot] = toNumber(row[`latency_${slot}`]);
  counts.latencyMsSum = toNumber(row.latency_ms_sum);
  counts.costUsd = toNumber(row.cost_usd);
  return counts;
}

export function createRollupStore(executor: SqlExecutor): RollupStore {
  const insert = `INSERT INTO console_rollup (bucket_start, department, ${ALL_COLUMNS.join(', ')}) VALUES (?, ?, ${ALL_COLUMNS.map(() => '?').join(', ')})
ON CONFLICT (bucket_start, department) DO UPDATE SET ${ALL_COLUMNS.map((column) => `${column} = console_rollup.${column} + excluded.${column}`).join(', ')}`;

  return {
    async add(cells) {
      if (cells.length === 0) return;
      await executor.transaction(async (transaction) => {
        for (const cell of cells) await transaction.run(insert, [cell.bucketStart, cell.department, ...valuesOf(cell.counts)]);
      });
    },

    async series({ from, to, stepMs, department }) {
      const filter = department === undefined ? '' : ' AND department = ?';
      const rows = await executor.all(
        `SELECT bucket_start, ${SUMS} FROM console_rollup WHERE bucket_start >= ? AND bucket_start < ?${filter} GROUP BY bucket_start ORDER BY bucket_start`,
        department === undefined ? [from, to] : [from, to, department],
      );
      // Steps are filled in JS: every point exists (zeros included) so charts show gaps as zero.
      const points = new Map<number, RollupCounts>();
      for (let start = from; start < to; start += stepMs) points.set(start, emptyCounts());
      for (const row of rows) {
        const bucket = toNumber(row.bucket_start);
        const start = from + Math.floor((bucket - from) / stepMs) * stepMs;
        const point = points.get(start);
        if (point) addCounts(point, countsFrom(row));
      }
      return [...points].map(([start, counts]) => ({ start, counts }));
    },

    async byDepartment(from, to) {
      const rows = await executor.all(`SELECT department, ${SUMS} FROM console_rollup WHERE bucket_start >= ? AND bucket_start < ? GROUP BY department`, [from, to]);
      return rows
        .map((row) => ({ department: String(row.department), counts: countsFrom(row) }))
        .sort((a, b) => b.counts.costUsd - a.counts.costUsd || b.counts.counters.requests - a.counts.counters.requests);
    },

    async prune(before) {
      const { changes } = await executor.run('DELETE FROM console_rollup WHERE bucket_start < ?', [before]);
      return changes;
    },
  };
}
