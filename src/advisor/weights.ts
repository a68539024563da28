import type { Answers } from './answers-schema.js';
import { BASE_WEIGHTS, CRITERIA, type Criterion, type Weights } from './criteria.js';
import { l, type Localized } from './localized.js';

/** One documented adjustment of the base weights, triggered by an answer. */
export interface WeightAdjustment {
  criterion: Criterion;
  points: number;
  because: Localized;
}

/**
 * Adjustments added to BASE_WEIGHTS before rescaling to 100, so the five key questions
 * shape the weights when the answers file gives none. Documented in docs/advisor.md.
 */
export function weightAdjustments(answers: Answers): WeightAdjustment[] {
  const adjustments: WeightAdjustment[] = [];
  const add = (criterion: Criterion, points: number, en: string, zhTW: string): void => {
    adjustments.push({ criterion, points, because: l(en, zhTW) });
  };
  if (answers.data_egress === 'forbidden') add('data_compliance', 15, 'data may not leave', '資料不得外流');
  if (answers.data_egress === 'isolated') add('data_compliance', 10, 'data may leave only isolated and audited', '資料僅能在隔離且可稽核下外流');
  if (answers.data_egress === 'allowed') add('data_compliance', -10, 'data may leave (low sensitivity)', '資料可外流（敏感度低）');
  if (answers.audit_required) {
    add('control', 5, 'audit and traceability required', '需要稽核與可追溯');
    add('data_compliance', 5, 'audit and traceability required', '需要稽核與可追溯');
  }
  if (answers.latency === 'realtime') add('latency', 10, 'real-time latency', '即時延遲要求');
  if (answers.latency === 'interactive') add('latency', 5, 'interactive latency', '互動式延遲要求');
  if (answers.traffic_volatility === 'high') {
    add('cost', 5, 'highly volatile traffic makes peak cost matter', '流量波動大，尖峰成本重要');
    add('availability', 5, 'highly volatile traffic strains capacity', '流量波動大，考驗容量');
  }
  if (answers.traffic_volatility === 'medium') add('cost', 2, 'moderately volatile traffic', '流量中度波動');
  if (answers.ops_capability === 'none') add('operations', 10, 'no operations capability', '沒有維運能力');
  if (answers.ops_capability === 'basic') add('operations', 5, 'basic operations capability', '僅有基本維運能力');
  if (answers.resilience === 'needed') {
    add('availability', 10, 'high resilience required', '需要高韌性');
    add('future', 5, 'substitutability required', '需要可替代性');
  }
  if (answers.time_to_launch === 'weeks') add('operations', 5, 'launch in weeks leaves no time to build operations', '數週內上線，沒時間建立維運');
  return adjustments;
}

/** Base weights plus the adjustments, rescaled so they sum to exactly 100. */
export function deriveDefaultWeights(answers: Answers): Weights {
  const raw: Weights = { ...BASE_WEIGHTS };
  for (const adjustment of weightAdjustments(answers)) raw[adjustment.criterion] += adjustment.points;
  const sum = CRITERIA.reduce((total, criterion) => total + raw[criterion], 0);
  return Object.fromEntries(CRITERIA.map((criterion) => [criterion, (raw[criterion] * 100) / sum])) as Weights;
}
