import { describe, expect, it } from 'vitest';
import { createAccessPolicy } from './access-policy.js';
import { authorizeModelRequest, permitTargetsByTier } from './authorize-request.js';
import { identityConfigSchema } from './identity-config-schema.js';
import type { Principal } from '../model/principal.js';

const policy = createAccessPolicy(
  identityConfigSchema.parse({ roles: { intern: { models: ['chat'], tiers: ['on-prem'], max_data_class: 'internal', tools: ['search'] } } }).roles,
);
const intern: Principal = { id: 'i1', kind: 'user', roles: ['intern'], tags: {} };
const codeOf = (run: () => unknown) => {
  try {
    run();
    return 'allowed';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('authorizeModelRequest', () => {
  it('refuses model, data class and tools with their codes', () => {
    expect(codeOf(() => authorizeModelRequest(policy, intern, { model: 'chat', dataClass: 'internal', tools: ['search'] }))).toBe('allowed');
    expect(codeOf(() => authorizeModelRequest(policy, intern, { model: 'chat-large' }))).toBe('access_denied_model');
    expect(codeOf(() => authorizeModelRequest(policy, intern, { model: 'chat', dataClass: 'restricted' }))).toBe('access_denied_data_class');
    expect(codeOf(() => authorizeModelRequest(policy, intern, { model: 'chat', tools: ['shell'] }))).toBe('access_denied_tool');
  });
});

describe('permitTargetsByTier', () => {
  const targets = [
    { deployment: 'openai', tier: 'api' },
    { deployment: 'vllm', tier: 'on-prem' },
    { deployment: 'ghost', tier: undefined },
  ];
  it('keeps only targets in permitted tiers, in order', () => {
    expect(permitTargetsByTier(policy, intern, targets, (target) => target.tier).map((target) => target.deployment)).toEqual(['vllm']);
  });
  it('refuses with access_denied_tier when nothing is left', () => {
    expect(codeOf(() => permitTargetsByTier(policy, intern, [targets[0]], (target) => target?.tier))).toBe('access_denied_tier');
  });
});
