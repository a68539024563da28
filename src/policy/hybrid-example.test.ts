import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../assembly/config-schema.js';
import type { PolicyRuntime } from './apply-policy.js';
import { checkPolicy } from './check-policy.js';
import { explainPolicy } from './explain-policy.js';
import { policySchema } from './policy-config-schema.js';
import { createPolicyScanner } from './policy-scanner.js';

/** examples/hybrid.yaml is the README's promise; it must load and behave as its comments say. */
describe('examples/hybrid.yaml', () => {
  const document = parse(readFileSync(new URL('../../examples/hybrid.yaml', import.meta.url), 'utf8')) as Record<string, unknown>;
  const { policy: rawPolicy, ...gateway } = document;
  const policy = policySchema.parse(rawPolicy);
  const runtime: PolicyRuntime = { policy, scanner: createPolicyScanner(policy), hashKey: 'test-key' };

  it('is a valid gateway config with a valid policy section', () => {
    // The root schema gains `policy:` when the pipeline wires the policy in; until then it is checked separately.
    const config = configSchema.parse(gateway);
    expect(checkPolicy(policy, config.deployments.map((deployment) => deployment.id))).toEqual([]);
    expect(new Set(config.deployments.map((deployment) => deployment.tier))).toEqual(new Set(['on-prem', 'private-cloud', 'api']));
  });

  it('keeps restricted data on-prem', async () => {
    const explanation = await explainPolicy(runtime, { text: '請把王小明的身分證 A123456789 填進表單' });
    expect(explanation).toMatchObject({ dataClass: 'restricted', rule: { name: 'restricted-on-prem' }, allowedTiers: ['on-prem'] });
  });

  it('sends personal data to the private cloud with names masked', async () => {
    const explanation = await explainPolicy(runtime, { text: 'Please draft a reply to Alice Chen about the delivery.' });
    expect(explanation).toMatchObject({ dataClass: 'confidential', rule: { name: 'pii-masked-private-cloud' }, allowedTiers: ['private-cloud', 'on-prem'] });
    expect(explanation.maskedText).not.toContain('Alice Chen');
  });

  it('lets public text use any tier, and raises finance to confidential', async () => {
    expect((await explainPolicy(runtime, { text: '寫一首關於秋天的短詩' })).allowedTiers).toEqual(['api', 'private-cloud', 'on-prem']);
    const finance = await explainPolicy(runtime, { text: '寫一首關於秋天的短詩', principal: { id: 'finance-app', department: 'finance', roles: [] } });
    expect(finance.rule.name).toBe('pii-masked-private-cloud');
  });
});
