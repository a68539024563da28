import { writeFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * Identity and administration end to end: virtual keys made through the admin API and used by
 * the official SDK, role-based refusals with their codes, admin scopes, the audit and spend
 * endpoints, the policy tools and config reload.
 */

const ADMIN = 'sy-e2e-bootstrap-admin-key-0123456789';
const INTERN = 'sy-e2e-intern-key-0123456789';
const AUDITOR = 'sy-e2e-auditor-key-0123456789';
let gateway: RunningProcess;
let configPath: string;

const CONFIG = `
server: { port: 0 }
auth:
  keys:
    - { id: intern-1, key: "\${env:E2E_INTERN_KEY}", department: claims, roles: [intern] }
    - { id: auditor-1, key: "\${env:E2E_AUDITOR_KEY}", department: compliance, roles: [auditor] }
identity:
  bootstrap_admin_key: "\${env:E2E_ADMIN_KEY}"
  key_store: { secret: "\${env:E2E_KEY_STORE_SECRET}", cache_ttl_seconds: 0 }
  roles:
    intern: { models: [chat], tiers: ["*"], max_data_class: confidential }
    analyst: { models: ["*"], tiers: ["*"], max_data_class: restricted }
    auditor: { admin_scopes: ["audit:read", "spend:read", "policy:test", "config:read"] }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m1 }] }
  - { alias: chat-premium, targets: [{ deployment: local, model: m2 }] }
`;

const environment = {
  E2E_ADMIN_KEY: ADMIN,
  E2E_INTERN_KEY: INTERN,
  E2E_AUDITOR_KEY: AUDITOR,
  E2E_KEY_STORE_SECRET: 'an-hmac-secret-of-at-least-thirty-two-characters',
};

beforeAll(async () => {
  configPath = writeTempConfig(CONFIG);
  gateway = await startSwitchyard(['serve', '--config', configPath], environment);
});
afterAll(async () => {
  await gateway?.stop();
});

const admin = (path: string, init: RequestInit = {}, key = ADMIN) =>
  fetch(`${gateway.url}${path}`, { ...init, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...init.headers } });

const sdk = (apiKey: string) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });

describe('virtual keys through the admin API', () => {
  it('creates a key shown once, which the SDK can use until it is revoked', async () => {
    const created = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ owner: 'alice', department: 'claims', roles: ['analyst'] }) });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { key, id } = (await created.json()) as { key: string; id: string };
    expect(key).toMatch(/^sy-[A-Za-z0-9]{40,}$/);

    const answer = await sdk(key).chat.completions.create({ model: 'chat-premium', messages: [{ role: 'user', content: 'hello' }] });
    expect(answer.choices[0]?.message.content).toBe('hello');

    const listed = await (await admin('/admin/keys')).text();
    expect(listed).toContain(id);
    expect(listed).not.toContain(key);

    expect((await admin(`/admin/keys/${id}/revoke`, { method: 'POST', body: '{}' })).status).toBe(200);
    const refused = await sdk(key).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('refuses key administration to a principal without keys:write', async () => {
    const response = await admin('/admin/keys', { method: 'POST', body: JSON.stringify({ owner: 'mallory' }) }, INTERN);
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('access_denied_admin_scope');
  });
});

describe('roles', () => {
  it('refuses a model the role does not grant with 403 access_denied_model', async () => {
    const error = await sdk(INTERN).chat.completions.create({ model: 'chat-premium', messages: [{ role: 'user', content: 'x' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('access_denied_model');
  });

  it('refuses restricted data from an intern with 403 access_denied_data_class', async () => {
    const error = await sdk(INTERN)
      .chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: '客戶身分證字號 A123456789 的保單' }] })
      .catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).status).toBe(403);
    expect((error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('access_denied_data_class');
  });

  it('lets the intern use its model with data its role allows, and lists only that model', async () => {
    const answer = await sdk(INTERN).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: '請聯絡王小明' }] });
    expect(answer.choices[0]?.message.content).toBe('請聯絡王小明');
    expect((await sdk(INTERN).models.list()).data.map((model) => model.id)).toEqual(['chat']);
  });
});

describe('audit, spend and policy tools', () => {
  it('serves audit records to audit:read, including refusals, and refuses others', async () => {
    const records = (await (await admin('/admin/audit?limit=50', {}, AUDITOR)).json()) as { data: Array<{ status: string; errorCode?: string; principal?: { id: string } }> };
    expect(records.data.some((record) => record.status === 'denied' && record.errorCode === 'access_denied_data_class')).toBe(true);
    expect(records.data.some((record) => record.status === 'ok' && record.principal?.id === 'intern-1')).toBe(true);
    expect(JSON.stringify(records)).not.toContain('A123456789');
    expect((await admin('/admin/audit', {}, INTERN)).status).toBe(403);
  });

  it('reports spend by department', async () => {
    const report = (await (await admin('/admin/spend?by=department', {}, AUDITOR)).json()) as { rows: Array<{ group: string; requests: number }> };
    expect(report.rows.find((row) => row.group === 'claims')?.requests).toBeGreaterThanOrEqual(1);
  });

  it('scans and explains over HTTP for policy:test', async () => {
    const scan = await admin('/v1/policy/scan', { method: 'POST', body: JSON.stringify({ id: 'a', text: '統一編號：04595257，電話 02-2345-6789' }) }, AUDITOR);
    const scanned = (await scan.json()) as { id: string; entities: Array<{ type: string }>; data_class: string };
    expect(scanned.id).toBe('a');
    expect(scanned.entities.map((entity) => entity.type)).toEqual(expect.arrayContaining(['TW_UBN', 'PHONE']));
    const explain = await admin('/v1/policy/explain', { method: 'POST', body: JSON.stringify({ text: '身分證 A123456789' }) }, AUDITOR);
    expect(((await explain.json()) as { dataClass: string }).dataClass).toBe('restricted');
    expect((await admin('/v1/policy/scan', { method: 'POST', body: JSON.stringify({ id: 'x', text: 'y' }) }, INTERN)).status).toBe(403);
  });
});

describe('config reload over the admin API', () => {
  it('refuses an invalid config and keeps serving, then applies a valid one', async () => {
    writeFileSync(configPath, CONFIG.replace('tier: on-prem', 'tier: basement'));
    const refused = await admin('/admin/config/reload', { method: 'POST', body: '{}' }, AUDITOR);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/deployments\[0\]\.tier/);
    expect((await sdk(INTERN).chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'still here' }] })).choices[0]?.message.content).toBe('still here');

    writeFileSync(configPath, CONFIG.replace('intern: { models: [chat]', 'intern: { models: [chat, chat-premium]'));
    expect((await admin('/admin/config/reload', { method: 'POST', body: '{}' }, AUDITOR)).status).toBe(200);
    const answer = await sdk(INTERN).chat.completions.create({ model: 'chat-premium', messages: [{ role: 'user', content: 'now allowed' }] });
    expect(answer.choices[0]?.message.content).toBe('now allowed');
  });
});
