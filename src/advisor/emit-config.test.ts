import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText } from '../assembly/load-config.js';
import { buildAdvice } from './advise.js';
import { emitConfig } from './emit-config.js';
import type { Mode } from './modes.js';
import { makeAnswers } from '../../test/support/advisor/test-answers.js';

/** Answers that lead to each mode, so every branch of the emitter is exercised. */
const ANSWERS_FOR: Record<Mode, Parameters<typeof makeAnswers>[0]> = {
  api: { data_egress: 'allowed', time_to_launch: 'weeks' },
  'private-cloud': { data_egress: 'isolated', time_to_launch: 'weeks' },
  'on-prem': { data_egress: 'forbidden', time_to_launch: 'longer', ops_capability: 'strong' },
  hybrid: { data_egress: 'isolated', time_to_launch: 'months', resilience: 'needed' },
  'multi-cloud': { data_egress: 'allowed', time_to_launch: 'longer', resilience: 'needed' },
};

/** Every secret the starter configs reference, so the gateway loader can resolve them. */
const ENVIRONMENT = {
  SWITCHYARD_KEY_DEFAULT: 'sk-test-default',
  OPENAI_API_KEY: 'test',
  AZURE_OPENAI_API_KEY: 'test',
  ANTHROPIC_API_KEY: 'test',
  VLLM_API_KEY: 'test',
};

interface EmittedConfig {
  deployments: { id: string; tier: string }[];
  models: { alias: string; targets: { deployment: string; weight: number }[] }[];
  auth: { keys: { id: string; models: string[] }[] };
  policy: { rules: { name: string; match?: { data_class_at_least: string }; allow_tiers?: string[]; mask?: string[]; deny?: string }[] };
}

const emitted = (mode: Mode): EmittedConfig => parse(emitConfig(buildAdvice({ answers: makeAnswers(ANSWERS_FOR[mode]) }))) as EmittedConfig;

describe('emitConfig', () => {
  it.each(Object.entries(ANSWERS_FOR))('emits a config for %s that the gateway config loader accepts', (mode, answers) => {
    const advice = buildAdvice({ answers: makeAnswers(answers) });
    expect(advice.winner).toBe(mode);
    const text = emitConfig(advice);
    expect(text).toContain(`for mode: ${mode}`);
    const loaded = parseConfigText(text, `${mode}.yaml`, ENVIRONMENT);
    expect(loaded.config.deployments.length).toBeGreaterThan(0);
  });

  it('hybrid: restricted data is routed only to on-prem, confidential data is masked before the cloud tier', () => {
    const config = emitted('hybrid');
    const [restricted, confidential, fallback] = config.policy.rules;
    expect(restricted).toMatchObject({ name: 'restricted-on-prem', match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] });
    expect(confidential).toMatchObject({ match: { data_class_at_least: 'confidential' }, allow_tiers: ['private-cloud', 'on-prem'].sort() });
    expect(confidential?.mask).toContain('PERSON');
    expect(fallback?.match).toBeUndefined();
    // One alias over both tiers, weighted by the hybrid traffic split (60 % inside by default).
    expect(config.models[0]?.targets.map((target) => target.weight)).toEqual([60, 40]);
  });

  it('hybrid with data that may not leave keeps confidential data on-prem as well', () => {
    const advice = buildAdvice({ answers: makeAnswers({ data_egress: 'forbidden', time_to_launch: 'months' }) });
    expect(advice.winner).toBe('hybrid');
    const config = parse(emitConfig(advice)) as EmittedConfig;
    expect(config.policy.rules[1]).toMatchObject({ name: 'confidential-on-prem', allow_tiers: ['on-prem'] });
  });

  it('cloud-only modes refuse restricted data instead of sending it anywhere', () => {
    for (const mode of ['api', 'private-cloud', 'multi-cloud'] as const) {
      const rules = emitted(mode).policy.rules;
      expect(rules[0]?.name).toBe('restricted-denied');
      expect(rules[0]?.deny).toBeTruthy();
      expect(rules[1]?.mask).toEqual(['PERSON', 'PHONE', 'EMAIL', 'ADDRESS']);
    }
  });

  it('multi-cloud: two providers with weights to shift for failover', () => {
    const config = emitted('multi-cloud');
    expect(config.deployments).toHaveLength(2);
    expect(config.models[0]?.targets.map((target) => target.weight)).toEqual([70, 30]);
  });

  it('on-prem: no cloud tier at all', () => {
    const config = emitted('on-prem');
    expect(config.deployments.map((deployment) => deployment.tier)).toEqual(['on-prem']);
    expect(config.policy.rules.map((rule) => rule.name)).toEqual(['restricted-on-prem', 'default']);
  });
});
