import type { Answers, AnswersFile, TrafficInput } from './answers-schema.js';
import { CRITERIA, type Criterion, type Weights } from './criteria.js';
import { type CostDetails, type CostProjection, projectCostDetails, projectCosts } from './cost-projection.js';
import { type DecisionTreeResult, runDecisionTree } from './decision-tree.js';
import { notChosenBecause, weakestAgainst } from './explain.js';
import { fill, l, type Language, type Localized, localize } from './localized.js';
import { MODES, type Mode } from './modes.js';
import { type ResolvedPriceEntry, resolvePrices } from './prices.js';
import { rankModes, resolveScores, type ScoreTable, weightedTotals } from './scoring.js';
import { analyseSensitivity, type SensitivityItem } from './sensitivity.js';
import { SOP_STEPS } from './sop.js';
import { type ResolvedTraffic, resolveTraffic } from './traffic.js';
import type { MeasuredSource } from './traffic-from-loadtest.js';
import { blockingRisks, findVetoes } from './vetoes.js';
import { deriveDefaultWeights, type WeightAdjustment, weightAdjustments } from './weights.js';

/** The JSON output; its shape is the contract in issue 7. */
export interface AdviceJson {
  recommendation: { mode: Mode; runner_up: Mode | null; why: string[] };
  modes: {
    mode: Mode;
    total: number;
    vetoed: boolean;
    veto_reasons: string[];
    scores: Record<Criterion, number>;
    not_chosen_because: string[];
  }[];
  decision_tree: {
    steps: { question: string; answer: string; candidates: Mode[]; note: string }[];
    candidates: Mode[];
    conflicts: string[];
  };
  sensitivity: SensitivityItem[];
  cost: { [M in Mode]: { monthly_total: number; breakdown: Record<string, number> } };
  sop: { step: number; title: string; checklist: string; switchyard_feature: string }[];
  /** Present when measured traffic was used: its source and the keys it set. */
  measured_traffic?: { source: MeasuredSource['kind']; description: string; keys: string[]; values: Record<string, number> };
}

/** Everything the reports need, in both languages, beyond the JSON. */
export interface Advice {
  answers: Answers;
  weights: Weights;
  weightSource: 'answers-file' | 'derived';
  weightAdjustments: WeightAdjustment[];
  table: ScoreTable;
  overriddenScores: Set<string>;
  totals: Record<Mode, number>;
  /** Modes ordered for display: eligible by score, then the rest by score. */
  ranking: Mode[];
  eligible: Mode[];
  winner: Mode;
  runnerUp: Mode | null;
  why: Localized[];
  vetoes: Record<Mode, Localized[]>;
  notChosen: Record<Mode, Localized[]>;
  tree: DecisionTreeResult;
  sensitivity: SensitivityItem[];
  cost: CostProjection;
  costDetails: CostDetails;
  priceEntries: ResolvedPriceEntry[];
  traffic: ResolvedTraffic;
}

const round = (value: number, digits: number): number => Number(value.toFixed(digits));

/**
 * Runs the whole framework: weights → decision tree → vetoes → weighted scores → choice →
 * risk log → sensitivity → cost. The recommendation is the highest weighted total among the
 * tree's candidates that are not vetoed; if every candidate is vetoed, among all non-vetoed modes.
 */
export function buildAdvice(file: AnswersFile, validatedWeights?: Weights, measuredTraffic?: TrafficInput, measuredFrom?: MeasuredSource): Advice {
  const answers = file.answers;
  const weights = validatedWeights ?? deriveDefaultWeights(answers);
  const { scores: table, overridden } = resolveScores(file.scores);
  const totals = weightedTotals(table, weights);
  const tree = runDecisionTree(answers);
  const vetoes = findVetoes(answers);
  const nonVetoed = MODES.filter((mode) => vetoes[mode].length === 0);
  const treeEligible = tree.candidates.filter((mode) => vetoes[mode].length === 0);
  const eligible = rankModes(treeEligible.length > 0 ? treeEligible : nonVetoed, totals);
  const winner = eligible[0];
  if (winner === undefined) throw new Error('every mode is vetoed; the veto rules always leave on-prem');
  const others = rankModes(nonVetoed.filter((mode) => !eligible.includes(mode)), totals);
  const runnerUp = eligible[1] ?? others[0] ?? null;
  const ranking = [...eligible, ...rankModes(MODES.filter((mode) => !eligible.includes(mode)), totals)];
  const blocking = Object.fromEntries(MODES.map((mode) => [mode, blockingRisks(answers, mode)])) as Record<Mode, Localized[]>;

  const why: Localized[] = [];
  why.push(
    fill(l('Decision-tree path ({path}) leaves {candidates}.', '決策樹路徑（{path}）得出 {candidates}。'), {
      path: tree.steps.map((step) => step.answer).join(' → '),
      candidates: tree.candidates.join(', '),
    }),
  );
  if (treeEligible.length === 0) {
    why.push(l('Every decision-tree candidate is vetoed, so the choice falls to the best non-vetoed mode.', '決策樹候選皆被否決，因此改選未被否決者中分數最高的模式。'));
  }
  why.push(
    fill(l('Highest weighted total among eligible modes: {total} of 5.', '在可選模式中加權總分最高：{total}（滿分 5）。'), { total: totals[winner].toFixed(2) }),
  );
  if (runnerUp !== null) {
    // weakestAgainst(runnerUp, winner) lists where the runner-up loses points: the winner's strengths.
    const strengths = weakestAgainst(table, weights, runnerUp, winner, 2, true);
    if (strengths.length > 0) {
      const ahead = totals[winner] >= totals[runnerUp];
      why.push({
        en: `${ahead ? 'Ahead of' : 'Compared with'} ${runnerUp} (${totals[runnerUp].toFixed(2)}), stronger on ${strengths.map((item) => item.en).join(', ')}.`,
        'zh-TW': `${ahead ? '領先' : '相較於'} ${runnerUp}（${totals[runnerUp].toFixed(2)}），較強的準則：${strengths.map((item) => item['zh-TW']).join('、')}。`,
      });
    }
  }
  const scoreLeader = rankModes(nonVetoed, totals)[0];
  if (scoreLeader !== undefined && scoreLeader !== winner && totals[scoreLeader] > totals[winner]) {
    why.push(
      fill(l('Note: {leader} scores higher ({total}) but is outside the decision-tree path; revisit the answers if that surprises you.', '注意：{leader} 分數較高（{total}），但不在決策樹路徑上；若感意外請重新檢視答案。'), {
        leader: scoreLeader,
        total: totals[scoreLeader].toFixed(2),
      }),
    );
  }
  for (const conflict of tree.conflicts) why.push({ en: `Conflict: ${conflict.en}`, 'zh-TW': `衝突：${conflict['zh-TW']}` });
  why.push(...blocking[winner]);

  const explainInput = { table, weights, totals, tree, vetoes, blocking, winner };
  const notChosen = Object.fromEntries(
    MODES.map((mode) => [mode, mode === winner ? [] : notChosenBecause(explainInput, mode)]),
  ) as Record<Mode, Localized[]>;

  const sensitivityBasis = eligible.length >= 2 ? eligible : nonVetoed;
  const sensitivity =
    sensitivityBasis.length >= 2 ? analyseSensitivity(table, weights, sensitivityBasis, eligible.length >= 2 ? 'tree-candidates' : 'non-vetoed') : [];

  const traffic = resolveTraffic(file.traffic, answers, measuredTraffic, measuredFrom);
  const { prices, entries } = resolvePrices(file.prices);
  return {
    answers,
    weights,
    weightSource: validatedWeights === undefined ? 'derived' : 'answers-file',
    weightAdjustments: validatedWeights === undefined ? weightAdjustments(answers) : [],
    table,
    overriddenScores: overridden,
    totals,
    ranking,
    eligible,
    winner,
    runnerUp,
    why,
    vetoes,
    notChosen,
    tree,
    sensitivity,
    cost: projectCosts(traffic.traffic, prices),
    costDetails: projectCostDetails(traffic.traffic, prices),
    priceEntries: entries,
    traffic,
  };
}

/** The JSON output in the requested language (money rounded to cents, totals to 3 decimals). */
export function adviceToJson(advice: Advice, language: Language): AdviceJson {
  const text = (value: Localized): string => localize(value, language);
  const cost = Object.fromEntries(
    MODES.map((mode) => {
      const modeCost = advice.cost[mode];
      const breakdown = Object.fromEntries(Object.entries(modeCost.breakdown).map(([key, value]) => [key, round(value as number, 2)]));
      return [mode, { monthly_total: round(modeCost.monthly_total, 2), breakdown }];
    }),
  ) as AdviceJson['cost'];
  return {
    recommendation: { mode: advice.winner, runner_up: advice.runnerUp, why: advice.why.map(text) },
    modes: advice.ranking.map((mode) => ({
      mode,
      total: round(advice.totals[mode], 3),
      vetoed: advice.vetoes[mode].length > 0,
      veto_reasons: advice.vetoes[mode].map(text),
      scores: Object.fromEntries(CRITERIA.map((criterion) => [criterion, advice.table[mode][criterion]])) as Record<Criterion, number>,
      not_chosen_because: advice.notChosen[mode].map(text),
    })),
    decision_tree: {
      steps: advice.tree.steps.map((step) => ({ question: text(step.question), answer: step.answer, candidates: step.candidates, note: text(step.note) })),
      candidates: advice.tree.candidates,
      conflicts: advice.tree.conflicts.map(text),
    },
    sensitivity: advice.sensitivity,
    cost,
    sop: SOP_STEPS.map((step) => ({
      step: step.step,
      title: text(step.title),
      checklist: text(step.checklist),
      switchyard_feature: text(step.switchyard_feature),
    })),
    ...(advice.traffic.measured.length > 0
      ? {
          measured_traffic: {
            source: advice.traffic.measuredFrom?.kind ?? 'audit-export',
            description: advice.traffic.measuredFrom ? text(advice.traffic.measuredFrom.description) : '',
            keys: advice.traffic.measured,
            values: Object.fromEntries(advice.traffic.measured.map((key) => [key, advice.traffic.traffic[key]])),
          },
        }
      : {}),
  };
}
