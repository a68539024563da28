import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../model/chat-request.js';
import { classifyRequest, type TextScanner } from './classify.js';
import { policySchema, type PolicyConfig } from './policy-config-schema.js';
import { fakeScanner } from '../../test/support/policy/fake-scanner.js';

function chat(...texts: string[]): ChatRequest {
  return { model: 'chat', stream: false, messages: texts.map((text) => ({ role: 'user' as const, content: [{ type: 'text' as const, text }] })) };
}

const policy: PolicyConfig = policySchema.parse({
  entity_classes: [
    { entity: 'TW_NATIONAL_ID', class: 'restricted' },
    { entity: 'PERSON', class: 'confidential' },
    { entity: 'EMAIL', class: 'internal' },
    { entity: 'EMAIL', class: 'restricted', min_count: 3 },
  ],
  keywords: [{ class: 'confidential', words: ['Project Falcon', '併購'] }],
  departments: { legal: 'confidential' },
});

describe('classifyRequest', () => {
  it('is the default class when nothing is found', async () => {
    const result = await classifyRequest(policy, fakeScanner, { request: chat('今天天氣很好') });
    expect(result).toMatchObject({ dataClass: 'public', entities: {}, scanFailed: false });
  });

  it('takes the highest class implied by any entity, counting across messages and tool arguments', async () => {
    const request = chat('寄給 a@x.tw', '還有 b@x.tw');
    request.messages.push({ role: 'assistant', content: [], toolCalls: [{ id: 'c1', name: 'send', arguments: '{"to":["c@x.tw"]}' }] });
    const two = await classifyRequest(policy, fakeScanner, { request: chat('寄給 a@x.tw', '還有 b@x.tw') });
    expect(two).toMatchObject({ dataClass: 'internal', entities: { EMAIL: 2 } });
    const three = await classifyRequest(policy, fakeScanner, { request });
    expect(three).toMatchObject({ dataClass: 'restricted', entities: { EMAIL: 3 } });
    expect(three.reasons.map((reason) => reason.detail)).toContain('EMAIL ×3 ≥ 3');
  });

  it('decodes JSON escapes in tool arguments before scanning', async () => {
    const request = chat('hi');
    request.messages.push({ role: 'assistant', content: [], toolCalls: [{ id: 'c', name: 'lookup', arguments: '{"id":"\\u0041123456789"}' }] });
    expect((await classifyRequest(policy, fakeScanner, { request })).dataClass).toBe('restricted');
  });

  it('raises on keywords case-insensitively and full-width-insensitively, without echoing the word', async () => {
    const result = await classifyRequest(policy, fakeScanner, { request: chat('about ＰＲＯＪＥＣＴ falcon') });
    expect(result.dataClass).toBe('confidential');
    expect(JSON.stringify(result.reasons)).not.toMatch(/falcon/i);
  });

  it("applies the department default but lets content raise above it", async () => {
    expect((await classifyRequest(policy, fakeScanner, { request: chat('hello'), principal: { department: 'legal' } })).dataClass).toBe('confidential');
    const raised = await classifyRequest(policy, fakeScanner, { request: chat('A123456789'), principal: { department: 'legal' } });
    expect(raised.dataClass).toBe('restricted');
  });

  it('lets the header raise the class but never lower it', async () => {
    const raised = await classifyRequest(policy, fakeScanner, { request: chat('hello'), headers: { 'x-switchyard-data-class': 'Confidential' } });
    expect(raised.dataClass).toBe('confidential');
    const notLowered = await classifyRequest(policy, fakeScanner, { request: chat('A123456789'), headers: { 'x-switchyard-data-class': 'public' } });
    expect(notLowered.dataClass).toBe('restricted');
  });

  it('refuses an unknown class in the header instead of ignoring it', async () => {
    await expect(classifyRequest(policy, fakeScanner, { request: chat('x'), headers: { 'x-switchyard-data-class': 'secret' } })).rejects.toMatchObject({
      code: 'invalid_request',
      param: 'x-switchyard-data-class',
    });
  });

  it('ignores the header when class_header is off', async () => {
    const off = policySchema.parse({ class_header: false });
    const result = await classifyRequest(off, fakeScanner, { request: chat('x'), headers: { 'x-switchyard-data-class': 'restricted' } });
    expect(result.dataClass).toBe('public');
  });

  it('fails closed to the highest class when the scanner throws', async () => {
    const broken: TextScanner = { scan: () => { throw new Error('detector bug'); } };
    const result = await classifyRequest(policy, broken, { request: chat('hello') });
    expect(result).toMatchObject({ dataClass: 'restricted', scanFailed: true, entities: {} });
    expect(result.reasons.at(-1)).toMatchObject({ source: 'scan-failure', detail: 'scan failed; treated as the highest class' });
  });

  it('fails closed when an async scan exceeds the timeout', async () => {
    const slow: TextScanner = { scan: () => new Promise((resolve) => setTimeout(() => resolve({ entities: [] }), 200)) };
    const quick = policySchema.parse({ scan: { timeout_ms: 20 } });
    const result = await classifyRequest(quick, slow, { request: chat('hello') });
    expect(result).toMatchObject({ dataClass: 'restricted', scanFailed: true });
    expect(result.reasons.at(-1)?.detail).toContain('scan exceeded 20 ms');
  });

  it('fails closed when a synchronous scan overruns the deadline', async () => {
    let clock = 0;
    const slowSync: TextScanner = { scan: () => { clock += 300; return { entities: [] }; } };
    const result = await classifyRequest(policy, slowSync, { request: chat('hello') }, { now: () => clock });
    expect(result.scanFailed).toBe(true);
  });

  it('fails closed on a span outside the text (it would corrupt masking)', async () => {
    const bad: TextScanner = { scan: (text) => ({ entities: [{ type: 'PERSON', start: 0, end: text.length + 5, score: 1 }] }) };
    expect((await classifyRequest(policy, bad, { request: chat('hi') })).scanFailed).toBe(true);
  });

  it('drops spans below min_score and disabled types', async () => {
    const scanner: TextScanner = { scan: () => ({ entities: [{ type: 'PERSON', start: 0, end: 2, score: 0.3 }, { type: 'EMAIL', start: 0, end: 2, score: 1 }] }) };
    const tuned = policySchema.parse({ detectors: { min_score: 0.5, disable: ['EMAIL'] } });
    expect((await classifyRequest(tuned, scanner, { request: chat('hi') })).entities).toEqual({});
  });

  it('keeps the raw segments out of JSON', async () => {
    const result = await classifyRequest(policy, fakeScanner, { request: chat('王小明') });
    expect(result.segments).toHaveLength(1);
    expect(JSON.stringify(result)).not.toContain('王小明');
  });
});
