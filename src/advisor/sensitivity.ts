import { CRITERIA, type Criterion, type Weights } from './criteria.js';
import { MODES, type Mode } from './modes.js';
import { rankModes, type ScoreTable, weightedTotals } from './scoring.js';

/** The first weight (in the given direction) at which another mode takes first place. */
export interface WeightThreshold {
  /** The criterion's weight at which the leader changes (ties broken by mode order). */
  to_weight: number;
  /** to_weight minus the current weight, in percentage points. */
  change: number;
  new_leader: Mode;
}

export interface SensitivityItem {
  criterion: Criterion;
  weight: number;
  leader: Mode;
  /** Which modes competed: the tree's eligible candidates, or all non-vetoed modes when only one candidate is eligible. */
  basis: 'tree-candidates' | 'non-vetoed';
  decrease: WeightThreshold | null;
  increase: WeightThreshold | null;
}

const EPSILON = 1e-9;
const round2 = (value: number): number => Math.round(value * 100) / 100;

/**
 * Weights after moving criterion `criterion` to `newWeight`, the others rescaled proportionally
 * so the total stays 100. When the criterion held all 100 points, the rest is shared equally.
 */
export function shiftWeight(weights: Weights, criterion: Criterion, newWeight: number): Weights {
  const others = CRITERIA.filter((other) => other !== criterion);
  const rest = 100 - weights[criterion];
  const shifted = { ...weights, [criterion]: newWeight } as Weights;
  for (const other of others) {
    const share = rest > EPSILON ? weights[other] / rest : 1 / others.length;
    shifted[other] = (100 - newWeight) * share;
  }
  return shifted;
}

/**
 * For each criterion: how far its weight must move (others rescaled proportionally) before
 * another mode among `basis` ranks first. Every mode's total is linear in the shifted weight x:
 *   T_m(x) = [x·s_m,c + (100 − x)·A_m] / 100,  A_m = Σ_{j≠c} w_j·s_m,j / (100 − w_c),
 * so the leader L and a rival r tie where D(x) = T_L(x) − T_r(x) = 0, i.e. at
 *   x* = 100·a / (a − b),  a = A_L − A_r (D at x = 0 ×100),  b = s_L,c − s_r,c (D at x = 100 ×100).
 * The nearest such x* in each direction is the answer; a rival listed before the leader in
 * MODES wins the tie itself, a rival listed after needs x to pass x* (so x* = 0 or 100 is unreachable for it).
 */
export function analyseSensitivity(
  table: ScoreTable,
  weights: Weights,
  basis: readonly Mode[],
  basisKind: SensitivityItem['basis'],
): SensitivityItem[] {
  const leader = rankModes(basis, weightedTotals(table, weights))[0];
  if (leader === undefined) return [];
  const rivals = basis.filter((mode) => mode !== leader);
  return CRITERIA.map((criterion) => {
    const current = weights[criterion];
    const others = CRITERIA.filter((other) => other !== criterion);
    const rest = 100 - current;
    const restAverage = (mode: Mode): number =>
      others.reduce((sum, other) => sum + (rest > EPSILON ? weights[other] / rest : 1 / others.length) * table[mode][other], 0);
    let decrease: WeightThreshold | null = null;
    let increase: WeightThreshold | null = null;
    let nearestDecrease = -Infinity;
    let nearestIncrease = Infinity;
    for (const rival of rivals) {
      const a = restAverage(leader) - restAverage(rival);
      const b = table[leader][criterion] - table[rival][criterion];
      if (Math.abs(a - b) < EPSILON) continue; // parallel lines: the gap never changes with this weight
      const crossing = (100 * a) / (a - b);
      const rivalWinsTies = MODES.indexOf(rival) < MODES.indexOf(leader);
      // D falls as x rises when b < a: the rival catches up by increasing the weight.
      const direction = b < a ? 'increase' : 'decrease';
      const reachable = rivalWinsTies
        ? crossing >= -EPSILON && crossing <= 100 + EPSILON
        : crossing > EPSILON && crossing < 100 - EPSILON;
      if (!reachable) continue;
      if (direction === 'increase' && crossing >= current - EPSILON) {
        if (crossing < nearestIncrease) {
          nearestIncrease = crossing;
          increase = { to_weight: round2(crossing), change: round2(crossing - current), new_leader: rival };
        }
      }
      if (direction === 'decrease' && crossing <= current + EPSILON) {
        if (crossing > nearestDecrease) {
          nearestDecrease = crossing;
          decrease = { to_weight: round2(crossing), change: round2(crossing - current), new_leader: rival };
        }
      }
    }
    return { criterion, weight: round2(current), leader, basis: basisKind, decrease, increase };
  });
}
