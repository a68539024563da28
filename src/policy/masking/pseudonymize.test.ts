import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../../model/chat-request.js';
import { classifyRequest } from '../classify.js';
import { policySchema } from '../policy-config-schema.js';
import { fakeScanner } from '../../../test/support/policy/fake-scanner.js';
import { maskRequest } from './pseudonymize.js';
import { restoreText } from './restore-text.js';
import type { MaskPlan } from '../policy-decision.js';

const policy = policySchema.parse({});
const reversible: MaskPlan = { types: ['PERSON', 'TW_NATIONAL_ID', 'EMAIL'], mode: 'reversible' };

function request(): ChatRequest {
  return {
    model: 'chat',
    stream: false,
    messages: [
      { role: 'system', content: [{ type: 'text', text: '你是客服。' }] },
      { role: 'user', content: [{ type: 'text', text: '王小明（A123456789）寄信給陳美玲，信箱 mei@example.tw。' }] },
      {
        role: 'assistant',
        content: [],
        toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"name": "王小明", "ids": ["A123456789"], "n": 2}' }],
      },
      { role: 'tool', toolCallId: 'call_1', content: [{ type: 'text', text: '{"owner":"陳美玲","note":"王小明 said \\"hi\\""}' }] },
      { role: 'user', content: [{ type: 'text', text: '王小明 再問一次' }] },
    ],
  };
}

async function mask(input: ChatRequest, plan: MaskPlan, hashKey?: string) {
  const classification = await classifyRequest(policy, fakeScanner, { request: input });
  return maskRequest(input, classification.segments, plan, hashKey === undefined ? {} : { hashKey });
}

function textOf(input: ChatRequest, message: number): string {
  const part = input.messages[message]?.content[0];
  return part?.type === 'text' ? part.text : '';
}

describe('maskRequest', () => {
  it('gives the same value the same placeholder across all messages and tool calls', async () => {
    const { request: masked, masked: counts } = await mask(request(), reversible);
    expect(textOf(masked, 1)).toBe('[PERSON_1]（[TW_NATIONAL_ID_1]）寄信給[PERSON_2]，信箱 [EMAIL_1]。');
    expect(textOf(masked, 4)).toBe('[PERSON_1] 再問一次');
    expect(counts).toEqual({ PERSON: 6, TW_NATIONAL_ID: 2, EMAIL: 1 });
  });

  it('keeps tool arguments and JSON tool results valid JSON', async () => {
    const { request: masked } = await mask(request(), reversible);
    const call = masked.messages[2]?.toolCalls?.[0];
    expect(JSON.parse(call?.arguments ?? '')).toEqual({ name: '[PERSON_1]', ids: ['[TW_NATIONAL_ID_1]'], n: 2 });
    expect(JSON.parse(textOf(masked, 3))).toEqual({ owner: '[PERSON_2]', note: '[PERSON_1] said "hi"' });
  });

  it('masks tool arguments that are not JSON as plain text', async () => {
    const input = request();
    input.messages[2]!.toolCalls![0]!.arguments = 'name=王小明';
    const { request: masked } = await mask(input, reversible);
    expect(masked.messages[2]?.toolCalls?.[0]?.arguments).toBe('name=[PERSON_1]');
  });

  it('restores every masked text to the original', async () => {
    const original = request();
    const { request: masked, vault } = await mask(original, reversible);
    for (const index of [1, 3, 4]) expect(restoreText(textOf(masked, index), vault)).toBe(textOf(original, index));
  });

  it('leaves types outside the plan and the request object itself untouched', async () => {
    const original = request();
    const snapshot = JSON.stringify(original);
    const { request: masked } = await mask(original, { types: ['EMAIL'], mode: 'reversible' });
    expect(textOf(masked, 1)).toBe('王小明（A123456789）寄信給陳美玲，信箱 [EMAIL_1]。');
    expect(JSON.stringify(original)).toBe(snapshot);
  });

  it('never mints a placeholder the request already contains literally', async () => {
    const input = request();
    input.messages[4] = { role: 'user', content: [{ type: 'text', text: '模板寫 [PERSON_1]，真名是王小明' }] };
    const { request: masked, vault } = await mask(input, reversible);
    expect(textOf(masked, 4)).toBe('模板寫 [PERSON_1]，真名是[PERSON_2]');
    expect(restoreText('[PERSON_1] / [PERSON_2]', vault)).toBe('[PERSON_1] / 王小明');
  });

  it('redacts irreversibly with [TYPE]', async () => {
    const { request: masked, vault } = await mask(request(), { types: ['PERSON'], mode: 'redact' });
    expect(textOf(masked, 4)).toBe('[PERSON] 再問一次');
    expect(vault.size).toBe(0);
  });

  it('hashes with a keyed HMAC that is stable across requests and depends on the key', async () => {
    const first = await mask(request(), { types: ['PERSON'], mode: 'hash' }, 'key-1');
    const second = await mask(request(), { types: ['PERSON'], mode: 'hash' }, 'key-1');
    const otherKey = await mask(request(), { types: ['PERSON'], mode: 'hash' }, 'key-2');
    const token = textOf(first.request, 4).split(' ')[0];
    expect(token).toMatch(/^\[PERSON#[0-9a-f]{12}\]$/);
    expect(textOf(second.request, 4)).toBe(textOf(first.request, 4));
    expect(textOf(otherKey.request, 4)).not.toBe(textOf(first.request, 4));
    await expect(mask(request(), { types: ['PERSON'], mode: 'hash' })).rejects.toThrow('hash key');
  });

  it('resolves overlapping spans to the earlier, longer one', async () => {
    const input: ChatRequest = { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'abcdef' }] }] };
    const segments = [{ location: { kind: 'content' as const, message: 0, part: 0 }, text: 'abcdef', entities: [
      { type: 'PERSON', start: 1, end: 3, score: 1 },
      { type: 'EMAIL', start: 1, end: 5, score: 1 },
      { type: 'PERSON', start: 4, end: 6, score: 1 },
    ] }];
    const { request: masked } = maskRequest(input, segments, { types: ['PERSON', 'EMAIL'], mode: 'redact' });
    expect(textOf(masked, 0)).toBe('a[EMAIL]f');
  });

  it('refuses segments that do not belong to the request', () => {
    const input: ChatRequest = { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'changed' }] }] };
    const segments = [{ location: { kind: 'content' as const, message: 0, part: 0 }, text: 'original', entities: [] }];
    expect(() => maskRequest(input, segments, reversible)).toThrow('do not match');
  });

  it('never reveals the mapping through JSON or inspection', async () => {
    const { vault } = await mask(request(), reversible);
    expect(JSON.stringify({ vault })).toBe('{"vault":"[redacted]"}');
    expect(inspect({ vault }, { depth: 5, showHidden: true })).not.toContain('王小明');
    expect(Object.keys(vault)).toEqual([]);
  });
});
