import { ACTION_RANK, GUARD_CATEGORIES, type GuardAction, type GuardCategory, type GuardScores, type GuardVerdict } from './guard-categories.js';
import type { GuardConfig } from './guard-config-schema.js';
import type { Signal } from './guard-scanner.js';

/**
 * Scores → actions. Per category: below `flag_at` nothing; from `flag_at` the `below_block`
 * action; from `block_at` the category's `action`. A role override replaces the action for a
 * principal holding that role (the strongest override among its roles wins).
 */

export interface OutputFinding {
  kind: 'canary' | 'system_prompt_overlap' | 'secret' | 'restricted';
  category: GuardCategory;
  action: 'flag' | 'mask' | 'cut';
  /** Entity type for secrets and restricted values. */
  type?: string;
}

export interface GuardDecision {
  verdict: GuardVerdict;
  /** The strongest action taken for the request. */
  action: GuardAction;
  /** Categories at or above their flag threshold. */
  categories: GuardCategory[];
  scores: GuardScores;
  /** Matched signal ids (rule ids, structural signals, decoded layers), never matched text. */
  signals: string[];
  /** Action per flagged category. */
  actions: Partial<Record<GuardCategory, GuardAction>>;
  /** What output guarding found in the answer, when anything. */
  output?: OutputFinding[];
}

function roleOverride(config: GuardConfig, category: GuardCategory, roles: readonly string[] | undefined): GuardAction | undefined {
  let chosen: GuardAction | undefined;
  for (const role of roles ?? []) {
    const action = config.roles[role]?.[category];
    if (action !== undefined && (chosen === undefined || ACTION_RANK[action] > ACTION_RANK[chosen])) chosen = action;
  }
  return chosen;
}

export function decideGuard(config: GuardConfig, scores: GuardScores, signals: readonly Signal[], roles?: readonly string[]): GuardDecision {
  const categories: GuardCategory[] = [];
  const actions: GuardDecision['actions'] = {};
  let strongest: GuardAction = 'allow';
  for (const category of GUARD_CATEGORIES) {
    const thresholds = config.categories[category];
    const score = scores[category];
    if (score < thresholds.flag_at) continue;
    categories.push(category);
    const action = roleOverride(config, category, roles) ?? (score >= thresholds.block_at ? thresholds.action : thresholds.below_block);
    actions[category] = action;
    if (ACTION_RANK[action] > ACTION_RANK[strongest]) strongest = action;
  }
  const ids = [...new Set(signals.filter((signal) => signal.weight > 0 || signal.id.endsWith('role_claim_verified')).map((signal) => signal.id))].slice(0, 50);
  return { verdict: verdictOf(strongest), action: strongest, categories, scores, signals: ids, actions };
}

export function verdictOf(action: GuardAction): GuardVerdict {
  return action === 'block' ? 'block' : action === 'allow' ? 'allow' : 'flag';
}

/** The category a block is reported under: the highest-scoring blocked one. */
export function blockingCategory(decision: GuardDecision): GuardCategory | undefined {
  let best: GuardCategory | undefined;
  for (const category of decision.categories) {
    if (decision.actions[category] !== 'block') continue;
    if (best === undefined || decision.scores[category] > decision.scores[best]) best = category;
  }
  return best;
}
