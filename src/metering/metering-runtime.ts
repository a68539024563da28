import type { Storage } from '../storage/open-storage.js';
import { createSqlBudgetLedger } from './sql-budget-ledger.js';
import { createSqlSpendStore } from './sql-spend-store.js';
import { createBufferedSpendStore } from './buffered-spend-store.js';
import type { TagLimits } from './attribution-tags.js';
import { createBudgetEnforcer, type BudgetEnforcer, type BudgetThresholdEvent } from './budget-enforcer.js';
import type { BudgetLedger } from './budget-ledger.js';
import type { MeteringConfig } from './metering-config-schema.js';
import type { MeteringEvent } from './metering-events.js';
import { loadPriceCatalogue, type PriceCatalogue } from './price-catalogue.js';
import { createPriceTable, type PriceTable } from './price-table.js';
import type { SpendStore } from './spend-store.js';
import { BUDGET, publish } from '../observability/channels.js';

export interface MeteringRuntime {
  readonly config: MeteringConfig;
  readonly prices: PriceTable;
  /** The price list behind `prices` (undefined with `price_catalogue: none`). */
  readonly catalogue: PriceCatalogue | undefined;
  readonly ledger: BudgetLedger;
  readonly budgets: BudgetEnforcer;
  readonly spend: SpendStore;
  readonly tagLimits: TagLimits;
  tierOf(deployment: string): string | undefined;
  /** Tells subscribers (logs, metrics) about a metering event. */
  emit(event: MeteringEvent): void;
  /**
   * Checks a new config against the running one and builds its prices and budgets; returns the
   * function that switches to them. Throws `MeteringReloadRefused` (with every reason) when a
   * change cannot apply live, and nothing changes.
   */
  prepare(next: MeteringSettings): () => void;
  close(): Promise<void>;
}

/** Everything from the config file that metering depends on. */
export interface MeteringSettings {
  config: MeteringConfig;
  /** Deployment ids and tiers (on-prem is never priced from the public catalogue). */
  deployments?: ReadonlyArray<{ id: string; tier: string }>;
  /** Relative `price_catalogue` paths are resolved from here (the config file's directory). */
  baseDirectory?: string;
}

/** A reload that would change metering in a way that cannot apply to a running period. */
export class MeteringReloadRefused extends Error {
  readonly problems: { path: string; message: string }[];
  constructor(problems: { path: string; message: string }[]) {
    super(problems.map((problem) => `${problem.path}: ${problem.message}`).join('; '));
    this.name = 'MeteringReloadRefused';
    this.problems = problems;
  }
}

/**
 * What may not change while the gateway runs. A budget's period and the metering time zone
 * decide which ledger row (`2026-12`, `2026-W49`, `2026-12-02`) spend is booked to; changing
 * either mid-period would orphan what is already spent and silently hand out a fresh budget.
 */
export function liveChangeProblems(current: MeteringConfig, next: MeteringConfig): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (current.time_zone !== next.time_zone) {
    problems.push({
      path: 'metering.time_zone',
      message: `changes from ${current.time_zone} to ${next.time_zone}, which moves every budget period boundary; restart the gateway to apply it`,
    });
  }
  const before = new Map(current.budgets.map((budget) => [budget.id, budget]));
  for (const [index, budget] of next.budgets.entries()) {
    const old = before.get(budget.id);
    if (old && old.period !== budget.period) {
      problems.push({
        path: `metering.budgets[${index}].period`,
        message: `budget '${budget.id}' changes period from ${old.period} to ${budget.period} mid-period, which would orphan the spend already booked; give the budget a new id or restart the gateway`,
      });
    }
  }
  return problems;
}

interface State {
  config: MeteringConfig;
  prices: PriceTable;
  catalogue: PriceCatalogue | undefined;
  budgets: BudgetEnforcer;
  tiers: Map<string, string>;
}

/** Everything the gateway needs for metering and budgets, from `metering:` config and storage. */
export function createMeteringRuntime(options: MeteringSettings & {
  storage: Storage;
  /** Soft thresholds: log a line and count a metric here. */
  onBudgetEvent?: (event: BudgetThresholdEvent) => void;
  /** Every metering event (thresholds included). */
  onEvent?: (event: MeteringEvent) => void;
  onError?: (error: unknown) => void;
  /** The clock budgets read their period from; tests pin it so they pass on any date. */
  now?: () => Date;
}): MeteringRuntime {
  const now = options.now ?? (() => new Date());
  const ledger = createSqlBudgetLedger(options.storage.executor);
  const emit = (event: MeteringEvent) => {
    if (event.type === 'budget-threshold') {
      publish(BUDGET, () => event);
      options.onBudgetEvent?.(event);
    }
    options.onEvent?.(event);
  };
  const build = (settings: MeteringSettings): State => {
    const { config } = settings;
    const catalogue = loadPriceCatalogue(config.price_catalogue, settings.baseDirectory ?? process.cwd());
    return {
      config,
      catalogue,
      prices: createPriceTable(config, { catalogue, ...(settings.deployments ? { deployments: settings.deployments } : {}) }),
      budgets: createBudgetEnforcer({ ledger, budgets: config.budgets, timeZone: config.time_zone, now, onEvent: emit }),
      tiers: new Map((settings.deployments ?? []).map((deployment) => [deployment.id, deployment.tier])),
    };
  };
  let state = build(options);
  // A process that dies mid-request leaves its reservation behind; give it back eventually.
  const sweeper = setInterval(() => {
    const olderThan = new Date(now().getTime() - state.config.reservation_timeout_seconds * 1000).toISOString();
    void ledger.releaseStale(olderThan).catch(options.onError ?? (() => undefined));
  }, 60_000);
  sweeper.unref();
  const spend = createBufferedSpendStore(createSqlSpendStore(options.storage.executor), options.onError ? { onError: options.onError } : {});
  return {
    get config() {
      return state.config;
    },
    get prices() {
      return state.prices;
    },
    get catalogue() {
      return state.catalogue;
    },
    get budgets() {
      return state.budgets;
    },
    get tagLimits(): TagLimits {
      const { tags } = state.config;
      return { maxCount: tags.max_count, maxKeyLength: tags.max_key_length, maxValueLength: tags.max_value_length };
    },
    ledger,
    spend,
    tierOf: (deployment) => state.tiers.get(deployment),
    emit,
    prepare(next) {
      const problems = liveChangeProblems(state.config, next.config);
      if (problems.length > 0) throw new MeteringReloadRefused(problems);
      let built: State;
      try {
        built = build(next);
      } catch (error) {
        throw new MeteringReloadRefused([{ path: 'metering.price_catalogue', message: (error as Error).message }]);
      }
      return () => {
        state = built;
      };
    },
    async close() {
      clearInterval(sweeper);
      await spend.flush();
    },
  };
}
