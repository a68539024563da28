/**
 * The five guard categories: a stable contract (CLI output, HTTP API, audit records, metrics
 * labels and dashboards all use these names). Add, never rename.
 */
export const GUARD_CATEGORIES = ['prompt_injection', 'jailbreak', 'privilege_escalation', 'data_exfiltration', 'system_prompt_leak'] as const;
export type GuardCategory = (typeof GUARD_CATEGORIES)[number];

/** What the guard does about a category that scored at or above its threshold. */
export const GUARD_ACTIONS = ['allow', 'flag', 'block', 'route_on_prem'] as const;
export type GuardAction = (typeof GUARD_ACTIONS)[number];

/** The contract's verdict: route_on_prem and flag are both reported as `flag` (the request goes on). */
export type GuardVerdict = 'allow' | 'flag' | 'block';

export type GuardScores = Record<GuardCategory, number>;

export function zeroScores(): GuardScores {
  return { prompt_injection: 0, jailbreak: 0, privilege_escalation: 0, data_exfiltration: 0, system_prompt_leak: 0 };
}

/** Severity order when several categories fire: the strongest action wins. */
export const ACTION_RANK: Record<GuardAction, number> = { allow: 0, flag: 1, route_on_prem: 2, block: 3 };
