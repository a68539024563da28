import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../model/chat-request.js';
import type { StreamPart } from '../model/stream-part.js';
import { createInProcessMockAdapter } from '../providers/mock/index.js';
import { applyPolicy, applyPolicyToEmbeddings, createPolicyRuntime, type PolicyRuntime } from './apply-policy.js';
import { policySchema } from './policy-config-schema.js';
import { fakeScanner } from '../../test/support/policy/fake-scanner.js';

const runtime: PolicyRuntime = {
  scanner: fakeScanner,
  policy: policySchema.parse({
    rules: [
      { name: 'restricted-on-prem', match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] },
      { name: 'pii-private-cloud', match: { data_class_at_least: 'confidential' }, allow_tiers: ['private-cloud', 'on-prem'], mask: ['PERSON', 'EMAIL'] },
      { name: 'default', allow_tiers: ['api', 'private-cloud', 'on-prem'] },
    ],
  }),
};

const prompt = '幫我回信給王小明（wang@example.tw），王小明說明天到。';
const request: ChatRequest = { model: 'chat', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: prompt }] }] };

/** A mock upstream that echoes the prompt back one character per chunk, logging what it saw. */
async function* echoUpstream(seen: string[], sent: ChatRequest): AsyncIterable<StreamPart> {
  const part = sent.messages[0]?.content[0];
  const text = part?.type === 'text' ? part.text : '';
  seen.push(text);
  yield { type: 'start', id: 'x', model: 'm', created: 0 };
  for (const character of text) yield { type: 'text-delta', choice: 0, text: character };
  yield { type: 'finish', choice: 0, finishReason: 'stop' };
}

describe('applyPolicy', () => {
  it('masks what leaves and restores what comes back, even one character per chunk', async () => {
    const applied = await applyPolicy(runtime, request, { alias: 'chat' });
    expect(applied.decision).toMatchObject({ rule: 'pii-private-cloud', dataClass: 'confidential', entities: { PERSON: 2, EMAIL: 1 } });
    const seen: string[] = [];
    let answer = '';
    for await (const part of applied.restoreStream(echoUpstream(seen, applied.request))) if (part.type === 'text-delta') answer += part.text;
    expect(seen).toEqual(['幫我回信給[PERSON_1]（[EMAIL_1]），[PERSON_1]說明天到。']);
    expect(answer).toBe(prompt);
  });

  it('leaves a request without a mask plan as it is', async () => {
    const plain: ChatRequest = { ...request, messages: [{ role: 'user', content: [{ type: 'text', text: '你好' }] }] };
    const applied = await applyPolicy(runtime, plain);
    expect(applied.request).toBe(plain);
    expect(applied.decision).toMatchObject({ rule: 'default', dataClass: 'public' });
  });

  it('reads rule tags from the principal when none are given', async () => {
    const tagged: PolicyRuntime = {
      scanner: fakeScanner,
      policy: policySchema.parse({ rules: [{ name: 'atlas', match: { tags: { project: 'atlas' } }, allow_tiers: ['on-prem'] }, { name: 'default', allow_tiers: ['api'] }] }),
    };
    const applied = await applyPolicy(tagged, request, { principal: { id: 'k', roles: [], tags: { project: 'atlas' } } });
    expect(applied.decision.rule).toBe('atlas');
  });

  it('skips classification entirely when the policy is disabled', async () => {
    const applied = await applyPolicy({ ...runtime, policy: { ...runtime.policy, enabled: false } }, request);
    expect(applied.decision).toMatchObject({ rule: 'policy-disabled', allowedTiers: ['api', 'private-cloud', 'on-prem'] });
  });
});

describe('applyPolicyToEmbeddings', () => {
  it('classifies and masks embedding inputs', async () => {
    const result = await applyPolicyToEmbeddings(runtime, { model: 'embed', input: ['王小明', 'hello', 'A123456789'] });
    expect(result.decision.rule).toBe('restricted-on-prem');
    const confidential = await applyPolicyToEmbeddings(runtime, { model: 'embed', input: ['王小明', 'hello'] });
    expect(confidential.request.input).toEqual(['[PERSON_1]', 'hello']);
  });
});

describe('applyPolicy with the real detectors and the mock upstream', () => {
  it('the upstream never sees the values; the streaming client gets them back', async () => {
    const policy = policySchema.parse({
      rules: [
        { name: 'restricted-on-prem', match: { data_class_at_least: 'restricted' }, allow_tiers: ['on-prem'] },
        { name: 'pii', match: { data_class_at_least: 'confidential' }, allow_tiers: ['private-cloud'], mask: ['PERSON', 'PHONE', 'EMAIL'] },
        { name: 'default', allow_tiers: ['api', 'private-cloud', 'on-prem'] },
      ],
    });
    const text = '請回覆陳美玲小姐，手機0912-345-678，信箱 mei.chen@example.com.tw；陳美玲明天到。';
    const original: ChatRequest = { model: 'chat', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text }] }] };
    const applied = await applyPolicy(createPolicyRuntime(policy), original);
    expect(applied.decision).toMatchObject({ rule: 'pii', entities: { PERSON: 2, PHONE: 1, EMAIL: 1 } });

    const upstream = createInProcessMockAdapter({ deploymentId: 'policy-test-echo' });
    const parts = await upstream.chatStream(applied.request, { signal: new AbortController().signal });
    let answer = '';
    let chunks = 0;
    for await (const part of applied.restoreStream(parts)) if (part.type === 'text-delta') (answer += part.text), (chunks += 1);

    const seen = JSON.stringify(upstream.requests.entries());
    for (const value of ['陳美玲', '0912-345-678', 'mei.chen@example.com.tw']) expect(seen).not.toContain(value);
    expect(seen).toContain('[PERSON_1]');
    expect(answer).toBe(text);
    expect(chunks).toBeGreaterThan(3);
  });
});
