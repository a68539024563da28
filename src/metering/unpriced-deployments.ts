import type { PriceTable } from './price-table.js';

export interface UnpricedTarget {
  deployment: string;
  model: string;
  aliases: string[];
}

/**
 * Every deployment + model the aliases can route to that is not on-prem and has no price in
 * `metering.prices` or the catalogue: traffic there would be metered as unknown cost and no
 * budget would ever trigger on it.
 */
/** The parts of the config this check reads: deployments' tiers and the aliases' targets. */
export interface PricedRoutes {
  deployments: ReadonlyArray<{ id: string; tier: string }>;
  models: ReadonlyArray<{ alias: string; targets: ReadonlyArray<{ deployment: string; model: string }> }>;
}

export function unpricedTargets(config: PricedRoutes, prices: PriceTable): UnpricedTarget[] {
  const tiers = new Map(config.deployments.map((deployment) => [deployment.id, deployment.tier]));
  const found = new Map<string, UnpricedTarget>();
  for (const alias of config.models) {
    for (const target of alias.targets) {
      if (tiers.get(target.deployment) === 'on-prem' || prices.priceFor(target.deployment, target.model) !== undefined) continue;
      const key = `${target.deployment}\u0000${target.model}`;
      const entry = found.get(key) ?? { deployment: target.deployment, model: target.model, aliases: [] };
      entry.aliases.push(alias.alias);
      found.set(key, entry);
    }
  }
  return [...found.values()];
}

export function describeUnpriced(target: UnpricedTarget): string {
  return `deployment '${target.deployment}' (model '${target.model}', alias ${target.aliases.map((alias) => `'${alias}'`).join(', ')}) has no price: add it under metering.prices (input_per_million, output_per_million) or its cost will be reported as unknown`;
}

/** The startup (and reload) warning: one log line per unpriced deployment and model. */
export function warnUnpricedDeployments(loaded: { config: PricedRoutes }, prices: PriceTable, logger: { warn(object: object, message: string): void }): void {
  for (const target of unpricedTargets(loaded.config, prices)) logger.warn({ deployment: target.deployment, model: target.model }, describeUnpriced(target));
}
