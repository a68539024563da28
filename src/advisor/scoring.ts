import { CRITERIA, type Criterion, type Weights } from './criteria.js';
import { DEFAULT_SCORES } from './default-scores.js';
import { MODES, type Mode } from './modes.js';

export type ScoreTable = Record<Mode, Record<Criterion, number>>;
export type ScoreOverrides = Partial<Record<Mode, Partial<Record<Criterion, number>>>>;

/** The default profile with the answers file's overrides applied, and which cells were overridden. */
export function resolveScores(overrides: ScoreOverrides = {}): { scores: ScoreTable; overridden: Set<string> } {
  const overridden = new Set<string>();
  const scores = Object.fromEntries(
    MODES.map((mode) => [
      mode,
      Object.fromEntries(
        CRITERIA.map((criterion) => {
          const override = overrides[mode]?.[criterion];
          if (override !== undefined) overridden.add(`${mode}.${criterion}`);
          return [criterion, override ?? DEFAULT_SCORES[mode][criterion].score];
        }),
      ),
    ]),
  ) as ScoreTable;
  return { scores, overridden };
}

/** Weighted total on the 1–5 scale: Σ weight% × score / 100. */
export function weightedTotal(scores: Record<Criterion, number>, weights: Weights): number {
  return CRITERIA.reduce((total, criterion) => total + (weights[criterion] * scores[criterion]) / 100, 0);
}

export function weightedTotals(table: ScoreTable, weights: Weights): Record<Mode, number> {
  return Object.fromEntries(MODES.map((mode) => [mode, weightedTotal(table[mode], weights)])) as Record<Mode, number>;
}

/** Totals closer than this are treated as equal (floating-point noise from rescaled weights). */
export const TOTAL_EPSILON = 1e-9;

/**
 * Orders modes by total, highest first. Ties go to the mode listed first in MODES
 * (api, private-cloud, on-prem, hybrid, multi-cloud): the simpler mode wins a tie.
 */
export function rankModes(modes: readonly Mode[], totals: Record<Mode, number>): Mode[] {
  return [...modes].sort((a, b) => {
    const difference = totals[b] - totals[a];
    if (Math.abs(difference) > TOTAL_EPSILON) return difference;
    return MODES.indexOf(a) - MODES.indexOf(b);
  });
}
