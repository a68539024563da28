import type { Storage } from '../storage/open-storage.js';
import { createSqlBudgetLedger } from '../storage/sql/sql-budget-ledger.js';
import { createSqlSpendStore } from '../storage/sql/sql-spend-store.js';
import { createBufferedSpendStore } from './buffered-spend-store.js';
import type { TagLimits } from './attribution-tags.js';
import { createBudgetEnforcer, type BudgetEnforcer, type BudgetThresholdEvent } from './budget-enforcer.js';
import type { BudgetLedger } from './budget-ledger.js';
import type { MeteringConfig } from './metering-config-schema.js';
import { createPriceTable, type PriceTable } from './price-table.js';
import type { SpendStore } from './spend-store.js';

export interface MeteringRuntime {
  readonly config: MeteringConfig;
  readonly prices: PriceTable;
  readonly ledger: BudgetLedger;
  readonly budgets: BudgetEnforcer;
  readonly spend: SpendStore;
  readonly tagLimits: TagLimits;
  close(): Promise<void>;
}

/** Everything the gateway needs for metering and budgets, from `metering:` config and storage. */
export function createMeteringRuntime(options: {
  config: MeteringConfig;
  storage: Storage;
  /** Soft thresholds: log a line and count a metric here. */
  onBudgetEvent?: (event: BudgetThresholdEvent) => void;
  onError?: (error: unknown) => void;
  /** The clock budgets read their period from; tests pin it so they pass on any date. */
  now?: () => Date;
}): MeteringRuntime {
  const { config } = options;
  const now = options.now ?? (() => new Date());
  const ledger = createSqlBudgetLedger(options.storage.executor);
  // A process that dies mid-request leaves its reservation behind; give it back eventually.
  const sweeper = setInterval(() => {
    const olderThan = new Date(now().getTime() - config.reservation_timeout_seconds * 1000).toISOString();
    void ledger.releaseStale(olderThan).catch(options.onError ?? (() => undefined));
  }, 60_000);
  sweeper.unref();
  const spend = createBufferedSpendStore(createSqlSpendStore(options.storage.executor), options.onError ? { onError: options.onError } : {});
  return {
    config,
    prices: createPriceTable(config),
    ledger,
    budgets: createBudgetEnforcer({
      ledger,
      budgets: config.budgets,
      timeZone: config.time_zone,
      now,
      ...(options.onBudgetEvent ? { onEvent: options.onBudgetEvent } : {}),
    }),
    spend,
    tagLimits: { maxCount: config.tags.max_count, maxKeyLength: config.tags.max_key_length, maxValueLength: config.tags.max_value_length },
    async close() {
      clearInterval(sweeper);
      await spend.flush();
    },
  };
}
