import { describe, expect, it } from 'vitest';
import type { ChatRequest } from '../pipeline/gateway-request.js';
import { classifyRequest } from './classify.js';
import { policySchema } from './policy-config-schema.js';
import { createPolicyScanner } from './policy-scanner.js';

function chat(text: string): ChatRequest {
  return { model: 'chat', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text }] }] };
}

describe('createPolicyScanner', () => {
  it('classifies with the real detectors: a national ID makes the request restricted', async () => {
    const policy = policySchema.parse({});
    const result = await classifyRequest(policy, createPolicyScanner(policy), { request: chat('我的身分證字號是A123456789，謝謝。') });
    expect(result).toMatchObject({ dataClass: 'restricted', entities: { TW_NATIONAL_ID: 1 } });
  });

  it('switches detectors off by entity type and adds custom ones from config', async () => {
    const policy = policySchema.parse({
      detectors: { disable: ['TW_NATIONAL_ID'], custom: [{ kind: 'keywords', id: 'projects', entity: 'PROJECT_CODE', keywords: ['Falcon'] }] },
      entity_classes: [{ entity: 'PROJECT_CODE', class: 'confidential' }],
    });
    const result = await classifyRequest(policy, createPolicyScanner(policy), { request: chat('A123456789 and project Falcon') });
    expect(result).toMatchObject({ dataClass: 'confidential', entities: { PROJECT_CODE: 1 } });
  });
});
