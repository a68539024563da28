import { describe, expect, it } from 'vitest';
import type { Answers } from './answers-schema.js';
import { runDecisionTree } from './decision-tree.js';
import type { Mode } from './modes.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';

type Case = [Answers['data_egress'], Answers['time_to_launch'], Answers['resilience'], Mode[], number];

/** Every path through the three questions (3 × 3 × 2), worked out by hand from the combination rule. */
const CASES: Case[] = [
  ['forbidden', 'weeks', 'not_needed', ['on-prem'], 1],
  ['forbidden', 'weeks', 'needed', ['hybrid'], 1],
  ['forbidden', 'months', 'not_needed', ['hybrid'], 0],
  ['forbidden', 'months', 'needed', ['hybrid'], 0],
  ['forbidden', 'longer', 'not_needed', ['on-prem'], 0],
  ['forbidden', 'longer', 'needed', ['on-prem', 'hybrid'], 1],
  ['isolated', 'weeks', 'not_needed', ['private-cloud'], 0],
  ['isolated', 'weeks', 'needed', ['private-cloud', 'hybrid', 'multi-cloud'], 1],
  ['isolated', 'months', 'not_needed', ['private-cloud'], 0],
  ['isolated', 'months', 'needed', ['hybrid'], 0],
  ['isolated', 'longer', 'not_needed', ['private-cloud', 'on-prem'], 1],
  ['isolated', 'longer', 'needed', ['hybrid', 'multi-cloud'], 1],
  ['allowed', 'weeks', 'not_needed', ['api'], 0],
  ['allowed', 'weeks', 'needed', ['api', 'hybrid', 'multi-cloud'], 1],
  ['allowed', 'months', 'not_needed', ['api', 'private-cloud'], 1],
  ['allowed', 'months', 'needed', ['hybrid'], 1],
  ['allowed', 'longer', 'not_needed', ['api', 'on-prem'], 1],
  ['allowed', 'longer', 'needed', ['multi-cloud'], 1],
];

describe('runDecisionTree', () => {
  it.each(CASES)('%s → %s → %s leaves %j with %i conflict(s)', (data, launch, resilience, expected, conflicts) => {
    const result = runDecisionTree(makeAnswers({ data_egress: data, time_to_launch: launch, resilience, ops_capability: 'strong' }));
    expect(result.candidates).toEqual(expected);
    expect(result.conflicts).toHaveLength(conflicts);
    expect(result.steps.map((step) => step.answer)).toEqual([data, launch, resilience]);
  });

  it('reports "data may not leave but launch in weeks" as a conflict and keeps the inside modes', () => {
    const result = runDecisionTree(makeAnswers({ data_egress: 'forbidden', time_to_launch: 'weeks' }));
    expect(result.steps[1]?.note.en).toContain('question 1 forbids');
    expect(result.conflicts[0]?.en).toContain('launching in "weeks"');
    expect(result.candidates.every((mode) => ['on-prem', 'hybrid'].includes(mode))).toBe(true);
  });

  it('never leaves the modes question 1 permits', () => {
    for (const [data, launch, resilience] of CASES) {
      const result = runDecisionTree(makeAnswers({ data_egress: data, time_to_launch: launch, resilience }));
      for (const mode of result.candidates) expect(result.permitted).toContain(mode);
    }
  });

  it('states the step-1 candidates exactly as the framework does', () => {
    expect(runDecisionTree(makeAnswers({ data_egress: 'forbidden' })).steps[0]?.candidates).toEqual(['on-prem', 'hybrid']);
    expect(runDecisionTree(makeAnswers({ data_egress: 'isolated' })).steps[0]?.candidates).toEqual(['private-cloud', 'hybrid']);
    expect(runDecisionTree(makeAnswers({ data_egress: 'allowed' })).steps[0]?.candidates).toEqual(['api']);
  });

  it('flags "longer" without any operations capability as a conflict', () => {
    const result = runDecisionTree(makeAnswers({ data_egress: 'forbidden', time_to_launch: 'longer', ops_capability: 'none' }));
    expect(result.conflicts.map((conflict) => conflict.en).join(' ')).toContain('operations capability is "none"');
    expect(result.conflicts.every((conflict) => conflict['zh-TW'].length > 0)).toBe(true);
  });
});
