import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigText } from '../config/load-config.js';
import { buildAdvice } from './advise.js';
import { emitConfig } from './emit-config.js';
import type { Mode } from './modes.js';
import { makeAnswers } from './test-answers.js';

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
  SWITCHYARD_KEY_RESTRICTED: 'sk-test-restricted',
  OPENAI_API_KEY: 'test',
  AZURE_OPENAI_API_KEY: 'test',
  ANTHROPIC_API_KEY: 'test',
  VLLM_API_KEY: 'test',
};

interface EmittedConfig {
  deployments: { id: string; tier: string }[];
  models: { alias: string; targets: { deployment: string; weight: number }[] }[];
  auth: { keys: { id: string; models: string[] }[] };
}

describe('emitConfig', () => {
  it.each(Object.entries(ANSWERS_FOR))('emits a config for %s that the gateway config loader accepts', (mode, answers) => {
    const advice = buildAdvice({ answers: makeAnswers(answers) });
    expect(advice.winner).toBe(mode);
    const text = emitConfig(advice);
    expect(text).toContain(`for mode: ${mode}`);
    const loaded = parseConfigText(text, `${mode}.yaml`, ENVIRONMENT);
    expect(loaded.config.deployments.length).toBeGreaterThan(0);
  });

  it('hybrid: restricted data reaches only the on-prem deployment, through its own alias and key', () => {
    const text = emitConfig(buildAdvice({ answers: makeAnswers(ANSWERS_FOR.hybrid) }));
    const config = parse(text) as EmittedConfig;
    const tierOf = Object.fromEntries(config.deployments.map((deployment) => [deployment.id, deployment.tier]));
    const restricted = config.models.find((model) => model.alias === 'chat-restricted');
    expect(restricted?.targets.map((target) => tierOf[target.deployment])).toEqual(['on-prem']);
    const general = config.models.find((model) => model.alias === 'chat');
    expect(general?.targets.every((target) => tierOf[target.deployment] !== 'on-prem')).toBe(true);
    expect(config.auth.keys.find((key) => key.id === 'restricted-app')?.models).toEqual(['chat-restricted']);
    expect(text).toContain('restricted-stays-on-prem');
    expect(text).toContain('mask-before-cloud');
  });

  it('multi-cloud: two providers with weights to shift for failover', () => {
    const config = parse(emitConfig(buildAdvice({ answers: makeAnswers(ANSWERS_FOR['multi-cloud']) }))) as EmittedConfig;
    expect(config.deployments).toHaveLength(2);
    expect(config.models[0]?.targets.map((target) => target.weight)).toEqual([70, 30]);
  });

  it('on-prem: no cloud tier at all', () => {
    const config = parse(emitConfig(buildAdvice({ answers: makeAnswers(ANSWERS_FOR['on-prem']) }))) as EmittedConfig;
    expect(config.deployments.map((deployment) => deployment.tier)).toEqual(['on-prem']);
  });
});
