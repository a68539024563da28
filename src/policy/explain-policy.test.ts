import { describe, expect, it } from 'vitest';
import type { PolicyRuntime } from './apply-policy.js';
import { explainInputFrom, explainPolicy, explainRequestSchema, renderExplanation } from './explain-policy.js';
import { policySchema } from './policy-config-schema.js';
import { fakeScanner } from '../../test/support/policy/fake-scanner.js';

const runtime: PolicyRuntime = {
  scanner: fakeScanner,
  policy: policySchema.parse({
    rules: [
      { name: 'no-secrets', match: { entities: ['SECRET'] }, deny: 'Secrets may not be sent.' },
      { name: 'restricted-on-prem', match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] },
      { name: 'pii-private-cloud', match: { data_class_at_least: 'confidential' }, allow_tiers: ['private-cloud', 'on-prem'], mask: ['PERSON', 'PHONE'] },
      { name: 'default', allow_tiers: ['api', 'private-cloud', 'on-prem'] },
    ],
  }),
};

describe('explainPolicy', () => {
  it('shows entities, class, the matched rule, why earlier rules missed, tiers and the masked text', async () => {
    const explanation = await explainPolicy(runtime, { text: '請聯絡王小明，電話0912-345-678。' });
    expect(explanation).toMatchObject({
      entities: [
        { type: 'PERSON', start: 3, end: 6, text: '王小明' },
        { type: 'PHONE', start: 9, end: 21, text: '0912-345-678' },
      ],
      dataClass: 'confidential',
      rule: { name: 'pii-private-cloud', action: 'allow', reason: 'data class confidential ≥ confidential' },
      skipped: [
        { rule: 'no-secrets', why: 'no SECRET detected' },
        { rule: 'restricted-on-prem', why: 'data class confidential is below restricted' },
      ],
      allowedTiers: ['private-cloud', 'on-prem'],
      maskedText: '請聯絡[PERSON_1]，電話[PHONE_1]。',
    });
  });

  it('has no outgoing text for a denied request', async () => {
    const explanation = await explainPolicy(runtime, { text: 'key sk-abcdefgh1234' });
    expect(explanation).toMatchObject({ rule: { name: 'no-secrets', action: 'deny', denyMessage: 'Secrets may not be sent.' }, maskedText: null });
  });

  it('takes a requested class, which may only raise', async () => {
    expect((await explainPolicy(runtime, { text: 'hello', dataClass: 'restricted' })).rule.name).toBe('restricted-on-prem');
  });
});

describe('renderExplanation', () => {
  it('renders in English and in Traditional Chinese', async () => {
    const explanation = await explainPolicy(runtime, { text: '請聯絡王小明' });
    const english = renderExplanation(explanation, 'en');
    expect(english).toContain('Data class: confidential (because: PERSON ×1 ≥ 1)');
    expect(english).toContain('Matched rule: pii-private-cloud → allow');
    expect(english).toContain('  restricted-on-prem: data class confidential is below restricted');
    expect(english).toContain('Text that would leave the gateway:\n  請聯絡[PERSON_1]');
    const chinese = renderExplanation(explanation, 'zh-TW');
    expect(chinese).toContain('資料等級: confidential');
    expect(chinese).toContain('符合的規則: pii-private-cloud → 允許');
    expect(chinese).toContain('允許的部署層級: private-cloud, on-prem');
  });

  it('says nothing leaves when denied', async () => {
    const text = renderExplanation(await explainPolicy(runtime, { text: 'sk-abcdefgh1234' }), 'zh-TW');
    expect(text).toContain('符合的規則: no-secrets → 拒絕');
    expect(text).toContain('沒有任何內容離開閘道');
  });
});

describe('explainRequestSchema', () => {
  it('maps a request body, with a hypothetical principal, to explain input', async () => {
    const body = explainRequestSchema.parse({ text: 'hello', principal: { department: 'finance' }, data_class: 'confidential', lang: 'zh-TW' });
    expect(explainInputFrom(body)).toEqual({ text: 'hello', dataClass: 'confidential', principal: { id: 'explain', roles: [], department: 'finance' } });
    expect((await explainPolicy(runtime, explainInputFrom(body))).dataClass).toBe('confidential');
  });

  it('rejects unknown fields and empty text', () => {
    expect(explainRequestSchema.safeParse({ text: '' }).success).toBe(false);
    expect(explainRequestSchema.safeParse({ text: 'x', verbose: true }).success).toBe(false);
  });
});
