import { describe, expect, it } from 'vitest';
import { buildAdvice } from './advise.js';
import { BASE_WEIGHTS, CRITERIA } from './criteria.js';
import { rankModes, resolveScores, weightedTotals } from './scoring.js';
import { analyseSensitivity, shiftWeight } from './sensitivity.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';

/** The hand-computed example in docs/advisor.md: base weights, default scores, api vs private-cloud. */
const table = resolveScores().scores;
const items = analyseSensitivity(table, BASE_WEIGHTS, ['api', 'private-cloud'], 'tree-candidates');
const item = (criterion: (typeof CRITERIA)[number]) => items.find((entry) => entry.criterion === criterion);
const leaderAt = (criterion: (typeof CRITERIA)[number], weight: number) =>
  rankModes(['api', 'private-cloud'], weightedTotals(table, shiftWeight(BASE_WEIGHTS, criterion, weight)))[0];

describe('analyseSensitivity', () => {
  it('shiftWeight keeps the total at 100 and the other weights in proportion', () => {
    const shifted = shiftWeight(BASE_WEIGHTS, 'cost', 32);
    expect(Object.values(shifted).reduce((sum, value) => sum + value, 0)).toBeCloseTo(100, 10);
    expect(shifted.data_compliance / shifted.latency).toBeCloseTo(2, 10);
    expect(shifted.data_compliance).toBeCloseTo((20 * 68) / 85, 10);
  });

  it('matches the hand-computed thresholds (docs/advisor.md)', () => {
    expect(items.every((entry) => entry.leader === 'private-cloud')).toBe(true);
    // cost: a = (295 − 255)/85 = 8/17, b = 3 − 4 = −1 → x* = 100·(8/17)/(8/17 + 1) = 32
    expect(item('cost')?.increase).toEqual({ to_weight: 32, change: 17, new_leader: 'api' });
    expect(item('cost')?.decrease).toBeNull();
    // future: a = (320 − 275)/90 = 0.5, b = 2 − 4 = −2 → x* = 50 / 2.5 = 20
    expect(item('future')?.increase).toEqual({ to_weight: 20, change: 10, new_leader: 'api' });
    // operations: a = 55/85 = 11/17, b = −2 → x* = 1100/45 = 24.44
    expect(item('operations')?.increase?.to_weight).toBe(24.44);
    // data_compliance: a = 3.25 − 3.4375 = −0.1875, b = 2 → x* = 18.75/2.1875 = 8.57
    expect(item('data_compliance')?.decrease).toEqual({ to_weight: 8.57, change: -11.43, new_leader: 'api' });
    expect(item('data_compliance')?.increase).toBeNull();
    // latency: b = 1 and the rest favours private-cloud too: no weight makes api lead.
    expect(item('latency')?.decrease).toBeNull();
    expect(item('latency')?.increase).toBeNull();
  });

  it('the leader really changes just past each threshold and not just before it', () => {
    for (const entry of items) {
      for (const threshold of [entry.increase, entry.decrease]) {
        if (threshold === null) continue;
        const direction = Math.sign(threshold.change);
        expect(leaderAt(entry.criterion, threshold.to_weight - direction * 0.05)).toBe('private-cloud');
        expect(leaderAt(entry.criterion, threshold.to_weight + direction * 0.05)).toBe('api');
      }
    }
  });

  it('buildAdvice runs it among the eligible tree candidates when there are two or more', () => {
    const advice = buildAdvice({ answers: makeAnswers({ data_egress: 'allowed', time_to_launch: 'months' }) }, BASE_WEIGHTS);
    expect(advice.eligible).toEqual(['private-cloud', 'api']);
    expect(advice.sensitivity.find((entry) => entry.criterion === 'cost')?.increase?.to_weight).toBe(32);
    expect(advice.sensitivity[0]?.basis).toBe('tree-candidates');
  });

  it('falls back to all non-vetoed modes when the tree leaves one eligible mode', () => {
    const advice = buildAdvice({ answers: makeAnswers({ data_egress: 'forbidden', time_to_launch: 'longer' }) });
    expect(advice.eligible).toEqual(['on-prem']);
    expect(advice.sensitivity[0]?.basis).toBe('non-vetoed');
    // Only on-prem and hybrid survive the vetoes; the leader is whichever scores higher, the rival the other.
    const leader = rankModes(['on-prem', 'hybrid'], advice.totals)[0];
    expect(advice.sensitivity.every((entry) => entry.leader === leader)).toBe(true);
    const modes = new Set(advice.sensitivity.flatMap((entry) => [entry.increase?.new_leader, entry.decrease?.new_leader]).filter(Boolean));
    expect([...modes]).toEqual([leader === 'hybrid' ? 'on-prem' : 'hybrid']);
  });

  it('is empty when only one mode survives the vetoes', () => {
    const advice = buildAdvice({ answers: makeAnswers({ data_egress: 'forbidden', offline_required: true }) });
    expect(advice.winner).toBe('on-prem');
    expect(advice.sensitivity).toEqual([]);
  });
});
