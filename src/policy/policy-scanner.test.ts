import { afterAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../model/chat-request.js';
import { classifyRequest } from './classify.js';
import { policySchema } from './policy-config-schema.js';
import { createPolicyScanner } from './policy-scanner.js';
import { closeScanPool } from './scan-pool.js';
import { createScanner } from './scan-text.js';

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

describe('createPolicyScanner: large text and the per-request cap', () => {
  afterAll(async () => {
    await closeScanPool();
  });

  it('scans text above scan.offload_above_bytes on a worker thread, with the same result', async () => {
    const policy = policySchema.parse({ scan: { offload_above_bytes: 1_000, timeout_ms: 30_000 } });
    const scanner = createPolicyScanner(policy);
    const text = `${'一般的會議紀錄內容，沒有敏感資料。\n'.repeat(200)}身分證A1\u200b23456789，手機0912-345-678。`;
    const pending = scanner.scan(text);
    expect(pending).toBeInstanceOf(Promise);
    const offloaded = await pending;
    const inline = createScanner({ minScore: policy.detectors.min_score }).scan(text);
    expect(offloaded.entities).toEqual(inline.entities);
    expect(offloaded.entities.map((entity) => entity.type)).toEqual(['TW_NATIONAL_ID', 'PHONE']);
    // Small text stays synchronous.
    expect(scanner.scan('hello')).not.toBeInstanceOf(Promise);
  });

  it('fails closed when a request exceeds scan.max_bytes: highest class, not scanned', async () => {
    const policy = policySchema.parse({ scan: { max_bytes: 64 } });
    const result = await classifyRequest(policy, createPolicyScanner(policy), { request: chat('沒有個資的一段文字，'.repeat(10)) });
    expect(result.dataClass).toBe('restricted');
    expect(result.scanFailed).toBe(true);
    expect(result.reasons.some((reason) => reason.source === 'scan-failure' && /max_bytes/.test(reason.detail))).toBe(true);
  });

  it('honours on_failure: deny for an over-cap request', async () => {
    const policy = policySchema.parse({ scan: { max_bytes: 64, on_failure: 'deny' } });
    const result = await classifyRequest(policy, createPolicyScanner(policy), { request: chat('x'.repeat(100)) });
    expect(result.scanFailed).toBe(true);
  });
});
