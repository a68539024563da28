import { describe, expect, it } from 'vitest';
import { policySchema } from './policy-config-schema.js';
import { decidePolicy, type RuleSubject } from './routing-rules.js';
import { policyResponseHeaders } from './policy-decision.js';

const policy = policySchema.parse({
  rules: [
    { name: 'watch-interns', match: { role: ['intern'] }, log_only: true },
    { name: 'no-secrets', match: { entities: ['SECRET'] }, deny: 'Secrets may not be sent to a model.' },
    { name: 'restricted-on-prem', match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] },
    {
      name: 'pii-private-cloud',
      match: { data_class: ['confidential'] },
      allow_tiers: ['private-cloud', 'on-prem'],
      mask: ['PERSON', 'PHONE'],
    },
    { name: 'research-gpu', match: { department: ['research'], model: ['big'], tags: { project: ['atlas', 'zeus'] } }, allow_deployments: ['gpu-1'] },
    { name: 'default', allow_tiers: ['api', 'private-cloud', 'on-prem'] },
  ],
});

function subject(overrides: Partial<RuleSubject> = {}): RuleSubject {
  return { dataClass: 'public', entities: {}, scanFailed: false, principal: { id: 'key-1', roles: [] }, model: 'chat', ...overrides };
}

describe('decidePolicy', () => {
  it('sends restricted data on-prem only and says why each earlier rule did not match', () => {
    const decision = decidePolicy(policy, subject({ dataClass: 'restricted', entities: { TW_NATIONAL_ID: 1 } }));
    expect(decision).toMatchObject({ rule: 'restricted-on-prem', action: 'allow', allowedTiers: ['on-prem'], reason: 'data class restricted ≥ restricted' });
    expect(decision.skipped).toEqual([
      { rule: 'watch-interns', why: 'principal has no role intern' },
      { rule: 'no-secrets', why: 'no SECRET detected' },
    ]);
  });

  it('denies with the rule message before any allow rule lower down', () => {
    const decision = decidePolicy(policy, subject({ dataClass: 'restricted', entities: { SECRET: 2 } }));
    expect(decision).toMatchObject({ rule: 'no-secrets', action: 'deny', denyMessage: 'Secrets may not be sent to a model.', allowedTiers: [] });
  });

  it('carries the mask plan of a masking rule', () => {
    const decision = decidePolicy(policy, subject({ dataClass: 'confidential', entities: { PERSON: 2 } }));
    expect(decision).toMatchObject({ rule: 'pii-private-cloud', mask: { types: ['PERSON', 'PHONE'], mode: 'reversible' } });
  });

  it('records log_only matches and keeps evaluating', () => {
    const decision = decidePolicy(policy, subject({ principal: { id: 'k', roles: ['intern'] } }));
    expect(decision.rule).toBe('default');
    expect(decision.logged).toEqual([{ rule: 'watch-interns', reason: 'has role intern' }]);
  });

  it('needs every condition of a rule (department, model alias and tags)', () => {
    const base = { principal: { id: 'k', department: 'research', roles: [] }, model: 'big', tags: { project: 'zeus' } };
    const hit = decidePolicy(policy, subject(base));
    expect(hit).toMatchObject({ rule: 'research-gpu', allowedDeployments: ['gpu-1'], allowedTiers: ['api', 'private-cloud', 'on-prem'] });
    const wrongTag = decidePolicy(policy, subject({ ...base, tags: { project: 'other' } }));
    expect(wrongTag.rule).toBe('default');
    expect(wrongTag.skipped.at(-1)).toEqual({ rule: 'research-gpu', why: 'tag project is other, not one of atlas, zeus' });
    const noDepartment = decidePolicy(policy, subject({ ...base, principal: { id: 'k', roles: [] } }));
    expect(noDepartment.skipped.at(-1)?.why).toBe('department (none) is not research');
  });

  it('treats exact class match differently from at-least', () => {
    // data_class: [confidential] is exact, so restricted goes to the restricted rule, and public to default.
    expect(decidePolicy(policy, subject({ dataClass: 'internal' })).rule).toBe('default');
  });

  it('denies outright on a failed scan when on_failure is deny', () => {
    const strict = policySchema.parse({ scan: { on_failure: 'deny' } });
    expect(decidePolicy(strict, subject({ dataClass: 'restricted', scanFailed: true }))).toMatchObject({ action: 'deny', rule: 'scan-failure' });
  });

  it('keeps a failed scan on-prem when the matching rule masks, since nothing could be masked', () => {
    // Found under load by the outbound-leak property test: a scan timeout left no entities, and
    // a rule that masks on the way to the API would have sent the text as written.
    const masking = policySchema.parse({ rules: [{ name: 'mask-for-api', mask: ['TW_NATIONAL_ID'], allow_tiers: ['api', 'on-prem'] }] });
    const failed = decidePolicy(masking, subject({ dataClass: 'restricted', scanFailed: true }));
    expect(failed).toMatchObject({ action: 'allow', rule: 'mask-for-api', allowedTiers: ['on-prem'] });
    expect(failed.reason).toMatch(/scan failed/);
    // The same rule on a scanned request is unchanged.
    expect(decidePolicy(masking, subject({ dataClass: 'restricted' })).allowedTiers).toEqual(['api', 'on-prem']);
    // A masking rule that does not allow on-prem refuses instead.
    const apiOnly = policySchema.parse({ rules: [{ name: 'mask-api-only', mask: ['TW_NATIONAL_ID'], allow_tiers: ['api'] }] });
    const refused = decidePolicy(apiOnly, subject({ dataClass: 'restricted', scanFailed: true }));
    expect(refused).toMatchObject({ action: 'deny', allowedTiers: [] });
    expect(refused.denyMessage).toMatch(/scan\.timeout_ms/);
    // A rule that does not mask keeps its tiers: the highest class already decided which rule applies.
    const plain = policySchema.parse({ rules: [{ name: 'anything', allow_tiers: ['api', 'on-prem'] }] });
    expect(decidePolicy(plain, subject({ dataClass: 'restricted', scanFailed: true })).allowedTiers).toEqual(['api', 'on-prem']);
  });

  it('produces the client headers from the decision', () => {
    const decision = decidePolicy(policy, subject({ dataClass: 'confidential' }));
    expect(policyResponseHeaders(decision)).toEqual({ 'x-switchyard-data-class': 'confidential', 'x-switchyard-route-rule': 'pii-private-cloud' });
  });
});
