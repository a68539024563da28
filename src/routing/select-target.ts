import type { Strategy } from './routing-config-schema.js';
import type { TargetStats } from './target-stats.js';

/** The fields selection needs; the config's alias target type satisfies it. */
export interface RoutableTarget {
  deployment: string;
  model: string;
  weight: number;
  /** Priority group (0 first); only the `priority` strategy reads it. */
  priority?: number;
  variant?: string;
}

export type ExclusionReason = 'not_allowed' | 'unavailable';

export interface TargetSelection<T extends RoutableTarget> {
  /** Candidates in the order to try them: the first is the choice, the rest the failover chain. */
  ordered: T[];
  /** Targets left out, and why (for the error details and the audit record). */
  excluded: Array<{ target: T; reason: ExclusionReason }>;
}

export interface SelectTargetsOptions<T extends RoutableTarget> {
  strategy?: Strategy;
  /**
   * The data-policy egress check, supplied by the caller. A target it refuses is never a
   * candidate — not even as a last resort when everything else failed.
   */
  isAllowed?: (target: T) => boolean;
  /** Circuit breaker and active health check say the deployment may take calls. */
  isAvailable?: (deployment: string) => boolean;
  stats?: TargetStats;
  random?: () => number;
}

/**
 * Orders an alias's targets for one request.
 *
 * - `weighted`: a weighted random draw without replacement, so the first choice follows the
 *   weights and the rest form the failover chain. Zero-weight targets come last, as standby.
 * - `priority`: groups by `priority` (0, then 1, …); weighted within a group. The secondary
 *   group only sees traffic when the whole primary group is excluded or has failed.
 * - `least-in-flight`: fewest calls in flight per unit of weight first (weighted draw breaks ties).
 * - `latency`: lowest EWMA latency × (in flight + 1) first — "peak EWMA" as in Finagle and
 *   Linkerd, so a fast deployment that is piling up calls stops looking fast. A deployment
 *   without samples costs 0, so it is tried and measured.
 */
export function selectTargets<T extends RoutableTarget>(targets: readonly T[], options: SelectTargetsOptions<T> = {}): TargetSelection<T> {
  const random = options.random ?? Math.random;
  const excluded: TargetSelection<T>['excluded'] = [];
  const candidates = targets.filter((target) => {
    if (options.isAllowed && !options.isAllowed(target)) {
      excluded.push({ target, reason: 'not_allowed' });
      return false;
    }
    if (options.isAvailable && !options.isAvailable(target.deployment)) {
      excluded.push({ target, reason: 'unavailable' });
      return false;
    }
    return true;
  });

  const strategy = options.strategy ?? 'weighted';
  const shuffled = weightedOrder(candidates, random);
  const stats = options.stats;
  if (strategy === 'priority') {
    return { ordered: stableSortBy(shuffled, (target) => target.priority ?? 0), excluded };
  }
  if (strategy === 'least-in-flight' && stats) {
    return { ordered: stableSortBy(shuffled, (target) => perWeight(stats.inFlight(target.deployment), target.weight)), excluded };
  }
  if (strategy === 'latency' && stats) {
    const cost = (target: T) => (stats.latencyEwmaMs(target.deployment) ?? 0) * (stats.inFlight(target.deployment) + 1);
    return { ordered: stableSortBy(shuffled, (target) => (target.weight > 0 ? cost(target) : Number.POSITIVE_INFINITY)), excluded };
  }
  return { ordered: shuffled, excluded };
}

/** Weighted random order without replacement; zero-weight targets last, in config order. */
export function weightedOrder<T extends RoutableTarget>(targets: readonly T[], random: () => number = Math.random): T[] {
  const pool = targets.filter((target) => target.weight > 0);
  const standby = targets.filter((target) => target.weight <= 0);
  const ordered: T[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((sum, target) => sum + target.weight, 0);
    let draw = random() * total;
    let index = pool.findIndex((target) => (draw -= target.weight) < 0);
    if (index < 0) index = pool.length - 1;
    ordered.push(...pool.splice(index, 1));
  }
  return [...ordered, ...standby];
}

function perWeight(value: number, weight: number): number {
  // A standby (zero-weight) target is never preferred by load.
  return weight > 0 ? value / weight : Number.POSITIVE_INFINITY;
}

/** Array.prototype.sort is stable, so equal keys keep the weighted random order. */
function stableSortBy<T>(items: T[], key: (item: T) => number): T[] {
  return items
    .map((item) => ({ item, key: key(item) }))
    .sort((left, right) => left.key - right.key)
    .map((entry) => entry.item);
}
