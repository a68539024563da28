import { describe, expect, it } from 'vitest';
import { buildAdvice } from './advise.js';
import { BASE_WEIGHTS, CRITERIA } from './criteria.js';
import { DEFAULT_SCORES } from './default-scores.js';
import { MODES } from './modes.js';
import { rankModes, resolveScores, weightedTotal, weightedTotals } from './scoring.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';

describe('scoring', () => {
  it('every default score is within 1–5 and has a rationale in both languages', () => {
    for (const mode of MODES) {
      for (const criterion of CRITERIA) {
        const entry = DEFAULT_SCORES[mode][criterion];
        expect(entry.score).toBeGreaterThanOrEqual(1);
        expect(entry.score).toBeLessThanOrEqual(5);
        expect(entry.rationale.en.length).toBeGreaterThan(10);
        expect(entry.rationale['zh-TW'].length).toBeGreaterThan(4);
      }
    }
  });

  it('weighted total is Σ weight × score / 100 (hand-computed with the base weights)', () => {
    const { scores } = resolveScores();
    // api: 20·2 + 10·3 + 10·3 + 15·4 + 10·2 + 10·2 + 15·5 + 10·4 = 315 → 3.15
    expect(weightedTotal(scores.api, BASE_WEIGHTS)).toBeCloseTo(3.15, 10);
    // private-cloud: 20·4 + 10·4 + 10·3 + 15·3 + 10·4 + 10·4 + 15·3 + 10·2 = 340 → 3.40
    expect(weightedTotal(scores['private-cloud'], BASE_WEIGHTS)).toBeCloseTo(3.4, 10);
  });

  it('applies score overrides cell by cell and remembers which were overridden', () => {
    const { scores, overridden } = resolveScores({ api: { latency: 5 }, 'on-prem': { operations: 4.5 } });
    expect(scores.api.latency).toBe(5);
    expect(scores.api.cost).toBe(DEFAULT_SCORES.api.cost.score);
    expect(scores['on-prem'].operations).toBe(4.5);
    expect([...overridden].sort()).toEqual(['api.latency', 'on-prem.operations']);
  });

  it('score overrides can change the recommendation among tree candidates', () => {
    const answers = makeAnswers({ data_egress: 'allowed', time_to_launch: 'months', resilience: 'not_needed' });
    const before = buildAdvice({ answers });
    expect(before.eligible.sort()).toEqual(['api', 'private-cloud']);
    const loser = before.winner === 'api' ? 'private-cloud' : 'api';
    const after = buildAdvice({ answers, scores: { [loser]: Object.fromEntries(CRITERIA.map((criterion) => [criterion, 5])) } });
    expect(after.winner).toBe(loser);
    expect(after.overriddenScores.size).toBe(8);
  });

  it('weight overrides change the totals', () => {
    const answers = makeAnswers({ data_egress: 'allowed', time_to_launch: 'months' });
    const costOnly = Object.fromEntries(CRITERIA.map((criterion) => [criterion, criterion === 'cost' ? 100 : 0])) as typeof BASE_WEIGHTS;
    const advice = buildAdvice({ answers }, costOnly);
    expect(advice.totals.api).toBe(4);
    expect(advice.winner).toBe('api');
    expect(advice.weightSource).toBe('answers-file');
  });

  it('breaks ties in favour of the mode listed first (the simpler one)', () => {
    const totals = weightedTotals(resolveScores().scores, BASE_WEIGHTS);
    const tied = { ...totals, hybrid: totals['private-cloud'] };
    expect(rankModes(['hybrid', 'private-cloud'], tied)).toEqual(['private-cloud', 'hybrid']);
  });
});
