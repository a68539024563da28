import type { GuardCategory } from './guard-categories.js';

/**
 * One curated pattern. Rules run on folded text (lower case, NFKC, look-alikes mapped, single
 * spaces). `gate` lists literals of which at least one must occur before the regex runs at all:
 * one pass over the text finds every gate, so a prompt pays only for rules that could match.
 */
export interface GuardRule {
  /** Stable id, reported as the matched signal (never the matched text). */
  id: string;
  category: GuardCategory;
  /** Contribution to the category's score (combined as a noisy-or). */
  weight: number;
  gate: readonly string[];
  pattern: RegExp;
  /**
   * Addressed to the model ("ignore your instructions", "reveal your prompt"): not discounted
   * when the text otherwise reads like a discussion of attacks.
   */
  direct?: boolean;
}

/** A bounded gap inside one sentence (no sentence punctuation), so co-occurrence stays local. */
export function gap(max: number): string {
  return `[^.!?\\n。！？；;]{0,${max}}`;
}

export function rule(id: string, category: GuardCategory, weight: number, gate: readonly string[], pattern: string, direct = false): GuardRule {
  return { id, category, weight, gate, pattern: new RegExp(pattern, 'u'), ...(direct ? { direct } : {}) };
}
