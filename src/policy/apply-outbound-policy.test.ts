import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../model/chat-request.js';
import type { ChatResponse } from '../model/chat-response.js';
import type { JsonObject } from '../model/json-value.js';
import type { OutboundRequest } from '../model/outbound-request.js';
import { encodeAnthropicRequest } from '../wire/anthropic/encode-anthropic-request.js';
import { anthropicRequestLayout } from '../wire/anthropic/anthropic-request-layout.js';
import { encodeOpenAIChatRequest } from '../wire/openai/encode-openai-request.js';
import { openAIChatLayout } from '../wire/openai/openai-request-layout.js';
import { createPolicyRuntime } from './apply-policy.js';
import { applyOutboundPolicy } from './apply-outbound-policy.js';
import { policySchema } from './policy-config-schema.js';
import { uncoveredReason } from './verify-outbound.js';
import { takeInventory } from '../model/outbound-inventory.js';

const ID = 'A123456789';

function openAIDraft(request: ChatRequest): OutboundRequest {
  return { operation: 'chat', body: encodeOpenAIChatRequest(request, { model: 'm', maxTokensField: 'max_tokens' }) as unknown as JsonObject, layout: openAIChatLayout('m') };
}
function anthropicDraft(request: ChatRequest): OutboundRequest {
  return { operation: 'chat', body: encodeAnthropicRequest(request, 'c') as unknown as JsonObject, layout: anthropicRequestLayout('c') };
}

const splitRequest: ChatRequest = {
  model: 'x',
  stream: false,
  messages: [{ role: 'user', content: [{ type: 'text', text: `身分證 ${ID.slice(0, 6)}` }, { type: 'text', text: `${ID.slice(6)} 的保單` }] }],
};

const maskAll = policySchema.parse({ rules: [{ name: 'mask', allow_tiers: ['api'], mask: ['TW_NATIONAL_ID', 'CREDIT_CARD'] }] });

describe('applyOutboundPolicy', () => {
  it('classifies a value split across text parts as the model reads it, and masks it whole', async () => {
    const runtime = createPolicyRuntime(maskAll);
    const applied = await applyOutboundPolicy(runtime, [openAIDraft(splitRequest)]);
    expect(applied.decision.dataClass).toBe('restricted');
    expect(applied.decision.entities).toEqual({ TW_NATIONAL_ID: 1 });
    const sealed = applied.seal(0);
    expect(sealed.body).not.toContain(ID.slice(0, 6));
    expect(sealed.body).not.toContain(ID.slice(6));
    expect(sealed.capture.maskedRequest).toContain('[TW_NATIONAL_ID_1]');
    expect(sealed.capture.request).toContain(ID);
    // The placeholder comes back as the whole value.
    const reply: ChatResponse = { id: 'r', model: 'm', created: 0, choices: [{ index: 0, message: { content: 'see [TW_NATIONAL_ID_1]' }, finishReason: 'stop' }] };
    expect(applied.restoreResponse(reply).choices[0]?.message.content).toBe(`see ${ID}`);
  });

  it('sees ids, names, schemas and stop sequences, and keeps restricted data on-prem by default', async () => {
    const runtime = createPolicyRuntime(policySchema.parse({}));
    const request: ChatRequest = {
      model: 'x',
      stream: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }],
      tools: [{ name: 'f', description: 'plain', parameters: { type: 'object', properties: { id: { type: 'string', enum: [ID] } } } }],
    };
    const applied = await applyOutboundPolicy(runtime, [openAIDraft(request)]);
    expect(applied.decision.dataClass).toBe('restricted');
    expect(applied.decision.allowedTiers).toEqual(['on-prem']);
    const stop = await applyOutboundPolicy(runtime, [anthropicDraft({ ...request, tools: [], stop: [`card 4111111111111111`] })]);
    expect(stop.decision.entities).toEqual({ CREDIT_CARD: 1 });
  });

  it('classifies every candidate body and takes the highest class, so failover cannot send an unseen body', async () => {
    const runtime = createPolicyRuntime(policySchema.parse({}));
    // Anthropic joins system messages with a blank line, OpenAI keeps them apart: both bodies are classified.
    const request: ChatRequest = { model: 'x', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: `id ${ID}` }] }] };
    const applied = await applyOutboundPolicy(runtime, [openAIDraft({ ...request, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] }), anthropicDraft(request)]);
    expect(applied.decision.dataClass).toBe('restricted');
  });

  it('raises a request with images to the unscanned-content class, which rules can match', async () => {
    const image: ChatRequest = { model: 'x', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'what is this' }, { type: 'image', url: 'data:image/png;base64,iVBORw0KGgo=' }] }] };
    const byDefault = await applyOutboundPolicy(createPolicyRuntime(policySchema.parse({})), [openAIDraft(image)]);
    expect(byDefault.decision.dataClass).toBe('confidential');
    expect(byDefault.decision.unscannedContent).toBe(1);
    const policy = policySchema.parse({
      unscanned_content_class: 'internal',
      rules: [
        { name: 'no-images', match: { has_unscanned_content: true }, deny: 'Images are not allowed.' },
        { name: 'default', allow_tiers: ['api'] },
      ],
    });
    const denied = await applyOutboundPolicy(createPolicyRuntime(policy), [openAIDraft(image)]);
    expect(denied.decision).toMatchObject({ action: 'deny', rule: 'no-images', dataClass: 'internal' });
    const text = await applyOutboundPolicy(createPolicyRuntime(policy), [openAIDraft({ ...image, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }] })]);
    expect(text.decision).toMatchObject({ action: 'allow', rule: 'default', dataClass: 'public' });
  });

  it('rejects an unknown unscanned_content_class at load', () => {
    expect(policySchema.safeParse({ unscanned_content_class: 'secretish' }).success).toBe(false);
  });
});

describe('uncoveredReason (the egress check on the bytes)', () => {
  const draft = openAIDraft({ model: 'x', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }], user: 'u1' });
  const expected = takeInventory(draft).texts;

  it('accepts the body whose every string was scanned', () => {
    expect(uncoveredReason(JSON.stringify(draft.body), draft.layout, expected, 0)).toBeUndefined();
  });

  it('refuses a body with a string the policy did not scan, changed text, or extra media', () => {
    expect(uncoveredReason(JSON.stringify({ ...draft.body, metadata: { note: ID } }), draft.layout, expected, 0)).toMatch(/did not scan/);
    expect(uncoveredReason(JSON.stringify(draft.body).replace('hello', `hello ${ID}`), draft.layout, expected, 0)).toMatch(/differs/);
    const withImage = { ...draft.body, messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] }] };
    expect(uncoveredReason(JSON.stringify(withImage), draft.layout, expected, 0)).toMatch(/media/);
    expect(uncoveredReason('not json', draft.layout, expected, 0)).toMatch(/not JSON/);
  });
});
