import { createHash } from 'node:crypto';
import type { CanaryConfig } from './routing-config-schema.js';
import type { RoutableTarget } from './select-target.js';

/** Who is asking, as far as cohorts care. */
export interface CanarySubject {
  userId?: string | undefined;
  department?: string | undefined;
  roles?: readonly string[] | undefined;
}

export interface CanaryAssignment {
  /** The variant this request is routed to; record it on the request for audit and metrics. */
  variant: string;
  reason: 'cohort' | 'percentage' | 'default';
}

export const STABLE_VARIANT = 'stable';

/**
 * Decides the variant of one request. Cohorts (users, departments, roles) always get the
 * canary; otherwise `percent` of traffic does. With `sticky_by: user` the draw is a hash of
 * salt, alias and user id — the same user lands on the same variant on every request and every
 * replica, and raising the percentage only moves users from stable to canary, never back.
 */
export function assignVariant(
  alias: string,
  canary: CanaryConfig | undefined,
  subject: CanarySubject,
  random: () => number = Math.random,
): CanaryAssignment {
  if (!canary) return { variant: STABLE_VARIANT, reason: 'default' };
  const inCohort =
    (subject.userId !== undefined && canary.users.includes(subject.userId)) ||
    (subject.department !== undefined && canary.departments.includes(subject.department)) ||
    (subject.roles ?? []).some((role) => canary.roles.includes(role));
  if (inCohort) return { variant: canary.variant, reason: 'cohort' };
  if (canary.percent <= 0) return { variant: STABLE_VARIANT, reason: 'default' };
  const draw =
    canary.sticky_by === 'user' && subject.userId !== undefined ? stickyDraw(`${canary.salt}\u0000${alias}\u0000${subject.userId}`) : random();
  return draw * 100 < canary.percent ? { variant: canary.variant, reason: 'percentage' } : { variant: STABLE_VARIANT, reason: 'default' };
}

/** A uniform number in [0, 1) fixed by the key (the first 48 bits of its SHA-256). */
export function stickyDraw(key: string): number {
  return createHash('sha256').update(key).digest().readUIntBE(0, 6) / 2 ** 48;
}

/**
 * Splits an alias's targets into the assigned variant's (`preferred`) and the rest
 * (`fallback`). The caller orders each group by its strategy and tries `fallback` after
 * `preferred`, so a failing canary still fails over to stable (and vice versa) instead of
 * erroring. When the assigned variant has no target, everything is `fallback`.
 */
export function splitByVariant<T extends RoutableTarget>(
  targets: readonly T[],
  variant: string,
  canary: CanaryConfig | undefined,
): { preferred: T[]; fallback: T[] } {
  if (!canary) return { preferred: [...targets], fallback: [] };
  const variantOf = (target: T) => (target.variant === canary.variant ? canary.variant : STABLE_VARIANT);
  return {
    preferred: targets.filter((target) => variantOf(target) === variant),
    fallback: targets.filter((target) => variantOf(target) !== variant),
  };
}
