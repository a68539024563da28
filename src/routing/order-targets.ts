import type { ModelAliasConfig } from '../config/config-schema.js';

export type AliasTarget = ModelAliasConfig['targets'][number];

/**
 * Orders an alias's targets for one request: a weighted random draw without replacement, so
 * the first choice follows the configured weights and the rest form the failover chain.
 * Zero-weight targets are kept last, as standby.
 */
export function orderTargets(targets: readonly AliasTarget[], random: () => number = Math.random): AliasTarget[] {
  const pool = targets.filter((target) => target.weight > 0);
  const standby = targets.filter((target) => target.weight <= 0);
  const ordered: AliasTarget[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, target) => sum + target.weight, 0);
    let draw = random() * total;
    let index = pool.findIndex((target) => (draw -= target.weight) < 0);
    if (index < 0) index = pool.length - 1;
    ordered.push(...pool.splice(index, 1));
  }
  return [...ordered, ...standby];
}
