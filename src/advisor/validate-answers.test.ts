import { describe, expect, it } from 'vitest';
import { validateAnswers, validateAnswersText } from './validate-answers.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';

const paths = (result: ReturnType<typeof validateAnswers>): string[] => (result.ok ? [] : result.issues.map((issue) => issue.path));

const EVEN_WEIGHTS = { data_compliance: 20, latency: 10, availability: 10, cost: 15, control: 10, integration: 10, operations: 15, future: 10 };

describe('validateAnswers', () => {
  it('accepts a complete answers file', () => {
    const result = validateAnswers({ answers: makeAnswers(), weights: EVEN_WEIGHTS, scores: { api: { latency: 4.5 } }, traffic: { requests_per_day: 100 }, prices: { api: { input_per_mtok: 3 } } });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.weights).toEqual(EVEN_WEIGHTS);
  });

  it('names every offending path at once: unknown keys, values outside their set, scores outside 1–5, missing answers', () => {
    const result = validateAnswers({
      answers: { ...makeAnswers({ latency: 'fast' as never }), data_egress: undefined, mood: 'good' },
      scores: { api: { latency: 7, speed: 3 }, mainframe: {} },
      traffic: { retry_rate: 2 },
      colour: 'blue',
    });
    expect(result.ok).toBe(false);
    expect(paths(result).sort()).toEqual(
      ['answers.data_egress', 'answers.latency', 'answers.mood', 'colour', 'scores.api.latency', 'scores.api.speed', 'scores.mainframe', 'traffic.retry_rate'].sort(),
    );
    if (!result.ok) {
      const byPath = Object.fromEntries(result.issues.map((issue) => [issue.path, issue.message]));
      expect(byPath['answers.latency']?.en).toBe('"fast" is not one of realtime|interactive|batch');
      expect(byPath['answers.latency']?.['zh-TW']).toContain('不在允許值');
      expect(byPath['scores.api.latency']?.en).toBe('7 is outside 1–5');
      expect(byPath['answers.mood']?.en).toBe('unknown key');
      expect(byPath['answers.data_egress']?.en).toBe('is required: one of forbidden|isolated|allowed');
    }
  });

  it('rejects a score below 1 as well as above 5', () => {
    expect(paths(validateAnswers({ answers: makeAnswers(), scores: { 'on-prem': { cost: 0 } } }))).toEqual(['scores.on-prem.cost']);
  });

  it('rejects weights that do not sum to 100, naming the sum', () => {
    const result = validateAnswers({ answers: makeAnswers(), weights: { ...EVEN_WEIGHTS, future: 20 } });
    expect(paths(result)).toEqual(['weights']);
    if (!result.ok) expect(result.issues[0]?.message.en).toContain('sum to 110');
  });

  it('accepts relative weights only with normalizeWeights, scaling them to 100', () => {
    const relative = { data_compliance: 4, latency: 2, availability: 2, cost: 3, control: 2, integration: 2, operations: 3, future: 2 };
    expect(validateAnswers({ answers: makeAnswers(), weights: relative }).ok).toBe(false);
    const result = validateAnswers({ answers: makeAnswers(), weights: relative }, { normalizeWeights: true });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.weights).toEqual(EVEN_WEIGHTS);
  });

  it('requires all eight criteria when weights are given', () => {
    const { future: _future, cost: _cost, ...partial } = EVEN_WEIGHTS;
    expect(paths(validateAnswers({ answers: makeAnswers(), weights: partial }))).toEqual(['weights.cost', 'weights.future']);
  });

  it('reports a weight problem together with other problems', () => {
    const result = validateAnswers({ answers: makeAnswers({ resilience: 'maybe' as never }), weights: { ...EVEN_WEIGHTS, latency: 0 } });
    expect(paths(result)).toEqual(['answers.resilience', 'weights']);
  });

  it('rejects negative weights and unknown criteria', () => {
    expect(paths(validateAnswers({ answers: makeAnswers(), weights: { ...EVEN_WEIGHTS, cost: -15, vibes: 30 } })).sort()).toEqual(['weights.cost', 'weights.vibes']);
  });

  it('reports YAML syntax errors and a missing answers block', () => {
    expect(paths(validateAnswersText('answers: [unclosed'))).toEqual(['(file)']);
    expect(paths(validateAnswersText('weights: {}\n'))).toContain('answers');
  });
});
