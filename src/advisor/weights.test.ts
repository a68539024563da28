import { describe, expect, it } from 'vitest';
import { BASE_WEIGHTS, CRITERIA } from './criteria.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';
import { deriveDefaultWeights } from './weights.js';

const sum = (weights: Record<string, number>): number => Object.values(weights).reduce((total, value) => total + value, 0);

describe('deriveDefaultWeights', () => {
  it('base weights sum to 100', () => {
    expect(sum(BASE_WEIGHTS)).toBe(100);
  });

  it('adds the documented adjustments and rescales to 100 (hand-computed: the bank example)', () => {
    // forbidden +15 data, audit +5 control +5 data, interactive +5 latency → raw sum 130.
    const weights = deriveDefaultWeights(
      makeAnswers({ data_egress: 'forbidden', audit_required: true, latency: 'interactive', traffic_volatility: 'low', ops_capability: 'strong', time_to_launch: 'longer' }),
    );
    expect(weights.data_compliance).toBeCloseTo((40 * 100) / 130, 10);
    expect(weights.latency).toBeCloseTo((15 * 100) / 130, 10);
    expect(weights.control).toBeCloseTo((15 * 100) / 130, 10);
    expect(weights.availability).toBeCloseTo((10 * 100) / 130, 10);
    expect(sum(weights)).toBeCloseTo(100, 10);
  });

  it('lowers data weight when data may leave and raises operations when there is no ops team', () => {
    const weights = deriveDefaultWeights(makeAnswers({ data_egress: 'allowed', ops_capability: 'none', latency: 'batch', time_to_launch: 'months' }));
    // raw: data 10, operations 25, others base → sum 100.
    expect(weights.data_compliance).toBeCloseTo(10, 10);
    expect(weights.operations).toBeCloseTo(25, 10);
    for (const criterion of CRITERIA) expect(weights[criterion]).toBeGreaterThan(0);
  });
});
