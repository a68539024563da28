import type { SpendDimension, SpendReportRow, SpendStore } from './spend-store.js';
import { toNumber, type SqlExecutor } from '../storage/sql-executor.js';

const COLUMN: Record<Exclude<SpendDimension, 'tag'>, string> = {
  department: 'department',
  team: 'team',
  key: 'principal_id',
  deployment: 'deployment',
  tier: 'tier',
  alias: 'alias',
};

export function createSqlSpendStore(executor: SqlExecutor): SpendStore {
  return {
    async record(event) {
      await this.recordMany([event]);
    },

    async recordMany(events) {
      if (events.length === 0) return;
      await executor.transaction(async (transaction) => {
        for (const event of events) {
        await transaction.run(
          `INSERT INTO spend_events (id, time, request_id, principal_id, team, department, alias, deployment, tier, model,
             input_tokens, output_tokens, cached_input_tokens, cache_write_input_tokens, estimated, cost_micros, tags, unpriced)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
          [
            event.id,
            event.time,
            event.requestId,
            event.principalId ?? null,
            event.team ?? null,
            event.department ?? null,
            event.alias ?? null,
            event.deployment ?? null,
            event.tier ?? null,
            event.model ?? null,
            event.inputTokens,
            event.outputTokens,
            event.cachedInputTokens ?? 0,
            event.cacheWriteInputTokens ?? 0,
            event.estimated ? 1 : 0,
            event.costMicros,
            JSON.stringify(event.tags),
            event.unpriced ? 1 : 0,
          ],
        );
        // One row per tag so `--by tag` is a plain GROUP BY on both databases.
        for (const [key, value] of Object.entries(event.tags)) {
          await transaction.run(
            `INSERT INTO spend_event_tags (event_id, time, tag, cost_micros, input_tokens, output_tokens, unpriced)
             VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
            [event.id, event.time, `${key}=${value}`, event.costMicros, event.inputTokens, event.outputTokens, event.unpriced ? 1 : 0],
          );
        }
        }
      });
    },

    async report(by, from, to) {
      const [table, column] = by === 'tag' ? ['spend_event_tags', 'tag'] : ['spend_events', COLUMN[by]];
      const rows = await executor.all(
        `SELECT ${column} AS grp, COUNT(*) AS requests, SUM(input_tokens) AS input_tokens,
                SUM(output_tokens) AS output_tokens, SUM(cost_micros) AS cost_micros, SUM(unpriced) AS unpriced
         FROM ${table} WHERE time >= ? AND time < ? GROUP BY ${column} ORDER BY SUM(cost_micros) DESC, ${column}`,
        [from, to],
      );
      return rows.map(
        (row): SpendReportRow => ({
          group: row.grp === null || row.grp === undefined ? null : String(row.grp),
          requests: toNumber(row.requests),
          inputTokens: toNumber(row.input_tokens),
          outputTokens: toNumber(row.output_tokens),
          costMicros: toNumber(row.cost_micros),
          unpricedRequests: toNumber(row.unpriced),
        }),
      );
    },
  };
}
