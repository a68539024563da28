import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChatRequest } from '../model/chat-request.js';
import { classifyRequest } from './classify.js';
import { BUILTIN_ENTITY_TYPES } from './detectors/index.js';
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

describe('createPolicyScanner: scanFor (the output guard asks for a few entity types)', () => {
  // Fragments that make every detector fire, overlap one another (a card inside a secret-looking
  // token, a phone inside a longer digit run, an ID after a keyword) and carry their context words.
  const fragments = [
    '身分證A123456789', 'A123456789', '手機0912-345-678', '0912345678', '+886 2 2345 6789', 'card 4111 1111 1111 1111', '4111111111111111',
    'emily.carter@example.com', 'token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY2zA4', 'password: Winter445!', 'sk-proj-4111111111111111abcdEFGH1234',
    'AKIAIOSFODNN7EXAMPLE', '王小明', '客戶陳大文', 'Emily Carter', '10.0.0.1', '統編 04595257', '帳號 004-12345678901', '新臺幣參萬元整',
    '台北市中正區忠孝東路一段1號5樓', 'No. 1, Sec. 1, Zhongxiao E. Rd., Taipei City', 'Falcon', ' ', '，', '。', '\n', ':', '-', 'abc', '1234', '一般的內容',
  ];
  const textArbitrary = fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 6 })), { maxLength: 14 }).map((parts) => parts.join(''));
  const types = [...BUILTIN_ENTITY_TYPES, 'PROJECT_CODE'];
  const policies = [
    policySchema.parse({}),
    policySchema.parse({ detectors: { disable: ['PHONE'], custom: [{ kind: 'keywords', id: 'projects', entity: 'PROJECT_CODE', keywords: ['Falcon'] }] } }),
  ];

  it('reports exactly the spans of those types that the full scan reports', () => {
    for (const policy of policies) {
      const scanner = createPolicyScanner(policy);
      fc.assert(
        fc.property(textArbitrary, fc.subarray(types), (text, picked) => {
          const watched = new Set(picked);
          const full = scanner.scan(text);
          if (full instanceof Promise) throw new Error('expected an inline scan');
          expect(scanner.scanFor(text, watched)).toEqual(full.entities.filter((entity) => watched.has(entity.type)));
        }),
        { numRuns: 400 },
      );
    }
  });

  it('finds a secret the output guard watches, and nothing when only unrelated types are present', () => {
    const scanner = createPolicyScanner(policySchema.parse({}));
    expect(scanner.scanFor('token ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY2zA4 for 0912-345-678', new Set(['SECRET']))).toMatchObject([{ type: 'SECRET' }]);
    expect(scanner.scanFor('call 0912-345-678 or emily.carter@example.com', new Set(['SECRET']))).toEqual([]);
  });
});
