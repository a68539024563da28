import { z } from 'zod';
import type { GuardCategory, GuardScores, GuardVerdict } from './guard-categories.js';
import type { GuardDecision } from './guard-decision.js';

/** The `switchyard guard` / `POST /v1/policy/guard` contract: one input item, one output line. */
export const guardItemSchema = z.looseObject({
  id: z.union([z.string(), z.number()]),
  text: z.string(),
});

export interface GuardOutputLine {
  id: string | number;
  verdict: GuardVerdict;
  categories: GuardCategory[];
  scores: GuardScores;
}

export function toGuardOutput(id: string | number, decision: GuardDecision): GuardOutputLine {
  return { id, verdict: decision.verdict, categories: decision.categories, scores: decision.scores };
}
