import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/** The quality view end to end: feedback kept with the audit record, answers' citations counted. */

const KEY = 'sy-e2e-feedback-key-0123456789';
let gateway: RunningProcess;
let client: OpenAI;

beforeAll(async () => {
  const path = writeTempConfig(`
server: { port: 0 }
auth: { keys: [{ id: reviewer, key: "\${env:E2E_FEEDBACK_KEY}", department: claims }] }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m1 }] }
`);
  gateway = await startSwitchyard(['serve', '--config', path], { E2E_FEEDBACK_KEY: KEY });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});
afterAll(async () => {
  await gateway?.stop();
});

const feedback = (body: unknown) =>
  fetch(`${gateway.url}/v1/feedback`, { method: 'POST', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function metric(name: string, labels: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`) && candidate.includes(labels));
  return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
}

describe('feedback and quality metrics', () => {
  it('stores a rating for an audited request and counts it; an unknown request id is a 404', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'Sources: https://example.org/report [1]' }] })
      .withResponse();
    const requestId = response.headers.get('x-request-id');
    const stored = await feedback({ request_id: requestId, rating: 'down', reviewer_verdict: 'rejected', comment: 'wrong figure' });
    expect(stored.status).toBe(200);
    expect(await metric('switchyard_feedback_total', 'rating="down"')).toBe(1);
    expect(await metric('switchyard_review_verdicts_total', 'verdict="rejected"')).toBe(1);
    // The mock echoes the prompt, so the answer carries a link and a numbered citation.
    expect(await metric('switchyard_responses_with_citations_total', 'alias="chat"')).toBe(1);

    const unknown = await feedback({ request_id: 'req_never_seen', rating: 'up' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string; param: string } }).error).toMatchObject({ code: 'not_found', param: 'request_id' });
  });

  it('refuses a malformed rating with 400 naming the field', async () => {
    const response = await feedback({ request_id: 'req_x', rating: 'meh' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe('rating');
  });
});
