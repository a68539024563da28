import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * "Sensitive data stays inside", end to end: the gateway and a public-API mock upstream as real
 * processes, the official SDK as the client. The mock echoes what it received, so the client
 * seeing original values proves restoration, and the mock's request log proves what left.
 */

const KEY = 'sy-e2e-policy-key-0123456789';
let upstream: RunningProcess;
let gateway: RunningProcess;
let client: OpenAI;

const PERSON = '林雅雯';
const PHONE = '0912-345-678';
const EMAIL = 'yawen.lin@example.com.tw';
const NATIONAL_ID = 'A123456789';

beforeAll(async () => {
  upstream = await startSwitchyard(['mock-upstream', '--port', '0']);
  const path = writeTempConfig(`
server: { port: 0 }
auth:
  keys:
    - { id: analyst, key: "\${env:E2E_POLICY_KEY}", department: claims }
deployments:
  - { id: public-api, tier: api, provider: openai-compatible, base_url: "${upstream.url}/v1" }
  - { id: onprem, tier: on-prem, provider: mock }
models:
  - { alias: cloud-chat, targets: [{ deployment: public-api, model: gpt-4o-mini }] }
  - { alias: any-chat, targets: [{ deployment: public-api, model: gpt-4o-mini, weight: 1 }, { deployment: onprem, model: local, weight: 0 }] }
policy:
  rules:
    - { name: restricted-on-prem, match: { data_class_at_least: restricted }, allow_tiers: [on-prem] }
    - { name: pii-masked-cloud, match: { data_class_at_least: confidential }, allow_tiers: [api, on-prem], mask: [PERSON, PHONE, EMAIL] }
    - { name: no-secrets-project, match: { tags: { project: [atlas] } }, deny: "Project Atlas may not use LLMs yet." }
    - { name: default, allow_tiers: [api, private-cloud, on-prem] }
`);
  gateway = await startSwitchyard(['serve', '--config', path], { E2E_POLICY_KEY: KEY });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.stop();
});

async function upstreamSaw(): Promise<string> {
  const response = await fetch(`${upstream.url}/__mock/requests`);
  return JSON.stringify(await response.json());
}

describe('keep sensitive data in-house', () => {
  it('masks PII before the public API and restores it in a streamed answer', async () => {
    await fetch(`${upstream.url}/__mock/requests`, { method: 'DELETE' });
    const prompt = `請聯絡客戶${PERSON}，電話 ${PHONE}，email ${EMAIL}，確認理賠進度。`;
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'cloud-chat', stream: true, messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';

    expect(text).toBe(prompt);
    expect(response.headers.get('x-switchyard-data-class')).toBe('confidential');
    expect(response.headers.get('x-switchyard-route-rule')).toBe('pii-masked-cloud');
    const seen = await upstreamSaw();
    expect(seen).toContain('[PERSON_1]');
    expect(seen).toContain('[PHONE_1]');
    for (const value of [PERSON, PHONE, EMAIL]) expect(seen).not.toContain(value);
  });

  it('restores placeholders in a non-stream answer too', async () => {
    const prompt = `Please email ${EMAIL} and ${EMAIL} again.`;
    const completion = await client.chat.completions.create({ model: 'cloud-chat', messages: [{ role: 'user', content: prompt }] });
    expect(completion.choices[0]?.message.content).toBe(prompt);
  });

  it('keeps restricted data off the public API: refused when the alias has no on-prem target', async () => {
    await fetch(`${upstream.url}/__mock/requests`, { method: 'DELETE' });
    const error = await client.chat.completions
      .create({ model: 'cloud-chat', messages: [{ role: 'user', content: `身分證字號 ${NATIONAL_ID} 的保單狀態？` }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    const apiError = error as InstanceType<typeof OpenAI.PermissionDeniedError>;
    expect(apiError.code).toBe('policy_denied');
    expect(apiError.headers?.get('x-switchyard-data-class')).toBe('restricted');
    expect(JSON.stringify(apiError.error)).not.toContain(NATIONAL_ID);
    expect(await upstreamSaw()).not.toContain(NATIONAL_ID);
  });

  it('routes restricted data to the on-prem target even when the cloud target has all the weight', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'any-chat', messages: [{ role: 'user', content: `身分證字號 ${NATIONAL_ID}` }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe(`身分證字號 ${NATIONAL_ID}`);
    expect(response.headers.get('x-switchyard-tier')).toBe('on-prem');
    expect(response.headers.get('x-switchyard-route-rule')).toBe('restricted-on-prem');
  });

  it('lets a client raise the class with the header, never lower it', async () => {
    const raised = await client.chat.completions
      .create({ model: 'any-chat', messages: [{ role: 'user', content: 'quarterly plan' }] }, { headers: { 'x-switchyard-data-class': 'restricted' } })
      .withResponse();
    expect(raised.response.headers.get('x-switchyard-tier')).toBe('on-prem');
    const lowered = await client.chat.completions
      .create({ model: 'any-chat', messages: [{ role: 'user', content: `ID ${NATIONAL_ID}` }] }, { headers: { 'x-switchyard-data-class': 'public' } })
      .withResponse();
    expect(lowered.response.headers.get('x-switchyard-data-class')).toBe('restricted');
    expect(lowered.response.headers.get('x-switchyard-tier')).toBe('on-prem');
  });

  it('sends public text to the cloud untouched', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'any-chat', messages: [{ role: 'user', content: 'Summarise the benefits of unit tests.' }] })
      .withResponse();
    expect(response.headers.get('x-switchyard-data-class')).toBe('public');
    expect(response.headers.get('x-switchyard-tier')).toBe('api');
  });
});
