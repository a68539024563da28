import { CRITERIA, CRITERION_PROFILES, type Weights } from './criteria.js';
import type { DecisionTreeResult } from './decision-tree.js';
import { fill, l, type Localized } from './localized.js';
import { MODE_PROFILES, type Mode } from './modes.js';
import type { ScoreTable } from './scoring.js';

const fmt = (value: number): string => value.toFixed(2);

/** The criteria on which `mode` loses most weighted points against `against`, largest first. */
export function weakestAgainst(table: ScoreTable, weights: Weights, mode: Mode, against: Mode, count = 2, againstFirst = false): Localized[] {
  return CRITERIA.map((criterion) => ({
    criterion,
    loss: (weights[criterion] * (table[against][criterion] - table[mode][criterion])) / 100,
  }))
    .filter((entry) => entry.loss > 0)
    .sort((a, b) => b.loss - a.loss)
    .slice(0, count)
    .map(({ criterion }) => {
      const name = CRITERION_PROFILES[criterion].name;
      const [first, second] = againstFirst ? [table[against][criterion], table[mode][criterion]] : [table[mode][criterion], table[against][criterion]];
      return { en: `${name.en} (${first} vs ${second})`, 'zh-TW': `${name['zh-TW']}（${first} 對 ${second}）` };
    });
}

const joinLocalized = (parts: Localized[], separatorEn = ', ', separatorZh = '、'): Localized => ({
  en: parts.map((part) => part.en).join(separatorEn),
  'zh-TW': parts.map((part) => part['zh-TW']).join(separatorZh),
});

/** The steps of the tree that do not point to `mode`, as one sentence. */
export function offPathReason(tree: DecisionTreeResult, mode: Mode): Localized | null {
  if (tree.candidates.includes(mode)) return null;
  const missing = tree.steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => !step.candidates.includes(mode))
    .map(({ step, index }) => ({
      en: `question ${index + 1} (${step.answer} → ${step.candidates.join(', ')})`,
      'zh-TW': `第 ${index + 1} 題（${step.answer} → ${step.candidates.join('、')}）`,
    }));
  return {
    en: `Outside the decision-tree path, which leaves ${tree.candidates.join(', ')}; not pointed to by ${joinLocalized(missing, '; ').en}.`,
    'zh-TW': `不在決策樹路徑上（路徑結果為 ${tree.candidates.join('、')}）；未被以下題目指向：${joinLocalized(missing, '；', '；')['zh-TW']}。`,
  };
}

export interface ExplainInput {
  table: ScoreTable;
  weights: Weights;
  totals: Record<Mode, number>;
  tree: DecisionTreeResult;
  vetoes: Record<Mode, Localized[]>;
  blocking: Record<Mode, Localized[]>;
  winner: Mode;
}

/** The risk log entry for a mode that was not chosen. */
export function notChosenBecause(input: ExplainInput, mode: Mode): Localized[] {
  const reasons: Localized[] = [];
  for (const veto of input.vetoes[mode]) reasons.push({ en: `Vetoed: ${veto.en}`, 'zh-TW': `否決：${veto['zh-TW']}` });
  const offPath = offPathReason(input.tree, mode);
  if (offPath !== null) reasons.push(offPath);
  const gap = input.totals[mode] - input.totals[input.winner];
  const weakest = weakestAgainst(input.table, input.weights, mode, input.winner);
  reasons.push(
    fill(l('Weighted total {total} vs {winnerTotal} for {winner} ({gap}).', '加權總分 {total}，{winner} 為 {winnerTotal}（差 {gap}）。'), {
      total: fmt(input.totals[mode]),
      winnerTotal: fmt(input.totals[input.winner]),
      winner: input.winner,
      gap: `${gap >= 0 ? '+' : ''}${fmt(gap)}`,
    }),
  );
  if (weakest.length > 0) {
    const list = joinLocalized(weakest);
    reasons.push({ en: `Weakest against ${input.winner} on: ${list.en}.`, 'zh-TW': `相較 ${input.winner} 最弱的準則：${list['zh-TW']}。` });
  }
  for (const risk of input.blocking[mode]) reasons.push(risk);
  const risks = MODE_PROFILES[mode].risks;
  reasons.push({ en: `Typical risks: ${risks.en}`, 'zh-TW': `典型風險：${risks['zh-TW']}` });
  return reasons;
}
