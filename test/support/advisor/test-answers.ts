import type { Answers } from '../../../src/advisor/answers-schema.js';

/** Test helper: a complete, neutral set of answers with some keys replaced. */
export function makeAnswers(overrides: Partial<Answers> = {}): Answers {
  return {
    data_egress: 'allowed',
    audit_required: false,
    latency: 'interactive',
    traffic_volatility: 'low',
    ops_capability: 'basic',
    time_to_launch: 'weeks',
    resilience: 'not_needed',
    offline_required: false,
    ...overrides,
  };
}
