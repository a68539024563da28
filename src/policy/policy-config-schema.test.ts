import { describe, expect, it } from 'vitest';
import { checkPolicy } from './check-policy.js';
import { defaultPolicy, policySchema } from './policy-config-schema.js';

const finalRule = { name: 'default', allow_tiers: ['on-prem'] };

function issuesOf(input: unknown): string[] {
  const result = policySchema.safeParse(input);
  return result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

describe('policySchema', () => {
  it('gives a default policy that keeps restricted data on-prem and ends in a default rule', () => {
    const policy = defaultPolicy();
    expect(policy.data_classes).toEqual(['public', 'internal', 'confidential', 'restricted']);
    expect(policy.rules[0]).toMatchObject({ match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] });
    expect(policy.rules.at(-1)?.match).toBeUndefined();
    expect(policy.scan).toEqual({ timeout_ms: 250, on_failure: 'highest', offload_above_bytes: 262_144, max_bytes: 33_554_432 });
  });

  it('fails without a final default rule', () => {
    const issues = issuesOf({ rules: [{ name: 'only-restricted', match: { data_class: ['restricted'] }, allow_tiers: ['on-prem'] }] });
    expect(issues).toEqual(['rules.0: the last rule must be a default rule: no match conditions, and an allow or deny action']);
  });

  it('rejects a log_only rule as the final rule, since it decides nothing', () => {
    expect(issuesOf({ rules: [{ name: 'watch', log_only: true }] }).join()).toContain('the last rule must be a default rule');
  });

  it('flags a catch-all rule that shadows the rules after it', () => {
    const issues = issuesOf({ rules: [{ name: 'everything', allow_tiers: ['api'] }, finalRule] });
    expect(issues).toContain("rules.0: rule 'everything' matches every request, so the rules after it can never apply");
  });

  it('requires exactly one action per rule and mask only with allow', () => {
    const issues = issuesOf({
      rules: [
        { name: 'two', match: { entities: ['EMAIL'] }, allow_tiers: ['api'], deny: 'no' },
        { name: 'none', match: { entities: ['EMAIL'] } },
        { name: 'mask-deny', match: { entities: ['PHONE'] }, deny: 'no', mask: ['PHONE'] },
        finalRule,
      ],
    });
    expect(issues).toEqual([
      'rules.0: a rule needs exactly one action: allow_tiers/allow_deployments, deny, or log_only',
      'rules.1: a rule needs exactly one action: allow_tiers/allow_deployments, deny, or log_only',
      'rules.2.mask: mask only applies to a rule that allows the request',
    ]);
  });

  it('reports unknown class names wherever they are used, against renamed classes', () => {
    const issues = issuesOf({
      data_classes: ['open', 'secret'],
      entity_classes: [{ entity: 'EMAIL', class: 'confidential' }],
      departments: { finance: 'secret', legal: 'restricted' },
      rules: [{ name: 'r', match: { data_class_at_least: 'top' }, allow_tiers: ['on-prem'] }, finalRule],
    });
    expect(issues).toEqual([
      "entity_classes.0.class: unknown data class 'confidential' (classes: open, secret)",
      "departments.legal: unknown data class 'restricted' (classes: open, secret)",
      "rules.0.match.data_class_at_least: unknown data class 'top' (classes: open, secret)",
    ]);
  });

  it('rejects unknown keys, duplicate names and hash masking without a key', () => {
    expect(issuesOf({ rules: [{ name: 'default', allow_tiers: ['api'], colour: 'red' }] }).join()).toContain('colour');
    const issues = issuesOf({
      data_classes: ['a', 'a'],
      entity_classes: [],
      rules: [
        { name: 'x', match: { entities: ['EMAIL'] }, allow_tiers: ['api'], mask: ['EMAIL'], mask_mode: 'hash' },
        { name: 'x', allow_tiers: ['api'] },
      ],
    });
    expect(issues).toEqual([
      "data_classes.1: duplicate data class 'a'",
      'rules.0.mask_mode: mask_mode hash needs policy.hash_key (a secret reference)',
      "rules.1.name: duplicate rule name 'x'",
    ]);
  });

  it('makes renamed classes restate the entity mapping instead of silently dropping it', () => {
    const issues = issuesOf({ data_classes: ['open', 'secret'], rules: [finalRule] });
    expect(issues[0]).toBe("entity_classes.0.class: unknown data class 'restricted' (classes: open, secret)");
  });

  it('accepts hash_key only as a secret reference', () => {
    expect(issuesOf({ hash_key: 'plain-text-key' }).join()).toContain('secret reference');
    expect(issuesOf({ hash_key: '${env:POLICY_HASH_KEY}' })).toEqual([]);
  });
});

describe('checkPolicy', () => {
  it('reports deployments a rule names that do not exist', () => {
    const policy = policySchema.parse({ rules: [{ name: 'gpu', allow_deployments: ['gpu-1', 'gpu-9'] }] });
    expect(checkPolicy(policy, ['gpu-1'])).toEqual([{ path: ['rules', 0, 'allow_deployments', 1], message: "unknown deployment 'gpu-9'" }]);
  });
});
