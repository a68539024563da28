import { readFileSync, writeFileSync } from 'node:fs';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';
import { logLines, waitFor } from './traffic-helpers.js';

/**
 * Config reload on a running gateway process — `SIGHUP` and `POST /admin/config/reload`:
 * a valid change (canary percent, a new alias) takes effect at once while a stream that
 * started before it finishes untouched; an invalid file is refused with a clear error and the
 * gateway keeps serving on the config it had.
 */

const CLIENT_KEY = 'sy-e2e-reload-client-0123456789';
const ADMIN_KEY = 'sy-e2e-reload-admin-0123456789';

let gateway: RunningProcess;
let configPath: string;
let baseConfig: string;
let openai: OpenAI;

// `slow-dep` paces its stream at 25 tokens/s, so a 40-word answer is in flight for ~1.6 s.
const CONFIG = `
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: reload-client, key: "\${env:E2E_RELOAD_CLIENT_KEY}" }
identity:
  bootstrap_admin_key: "\${env:E2E_RELOAD_ADMIN_KEY}"
audit: { enabled: false }
deployments:
  - { id: stable-dep, tier: on-prem, provider: mock }
  - { id: canary-dep, tier: on-prem, provider: mock }
  - { id: slow-dep, tier: on-prem, provider: mock, mock: { tokens_per_second: 25 } }
models:
  - alias: chat
    targets: [{ deployment: stable-dep, model: m }, { deployment: canary-dep, model: m, variant: canary }]
    canary: { variant: canary, percent: 0, sticky_by: request }
  - { alias: slow, targets: [{ deployment: slow-dep, model: m }] }
`;

const LONG_PROMPT = Array.from({ length: 40 }, (_, index) => `word${index}`).join(' ');

beforeAll(async () => {
  configPath = writeTempConfig(CONFIG);
  baseConfig = readFileSync(configPath, 'utf8');
  gateway = await startSwitchyard(['serve', '--config', configPath], { E2E_RELOAD_CLIENT_KEY: CLIENT_KEY, E2E_RELOAD_ADMIN_KEY: ADMIN_KEY });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
});

/** The base config with the canary percentage changed and, optionally, one more alias. */
function variantConfig({ percent, newAlias }: { percent: number; newAlias?: string }): string {
  let text = baseConfig.replace('percent: 0,', `percent: ${percent},`);
  if (newAlias) text = text.replace('  - { alias: slow,', `  - { alias: ${newAlias}, targets: [{ deployment: stable-dep, model: m }] }\n  - { alias: slow,`);
  return text;
}

/** Which deployment serves alias `chat` now. */
async function chatDeployment(model = 'chat'): Promise<string | null> {
  const { response } = await openai.chat.completions.create({ model, messages: [{ role: 'user', content: 'where to?' }] }).withResponse();
  return response.headers.get('x-switchyard-deployment');
}

const reloadedCount = () => logLines(gateway).filter((line) => line.msg === 'config reloaded').length;
const refusedCount = () => gateway.output().split('\n').filter((line) => line.includes('config reload refused')).length;

/** Starts the slow stream and resolves once its first text chunk arrived, with a way to finish reading it. */
async function startSlowStream() {
  const stream = await openai.chat.completions.create({ model: 'slow', messages: [{ role: 'user', content: LONG_PROMPT }], stream: true });
  const iterator = stream[Symbol.asyncIterator]();
  let text = '';
  for (;;) {
    const next = await iterator.next();
    if (next.done) throw new Error('the slow stream ended before its first text');
    text += next.value.choices[0]?.delta.content ?? '';
    if (text.length > 0) break;
  }
  return {
    firstText: text,
    async finish(): Promise<{ text: string; endedAt: number; finishReason: string | null | undefined }> {
      let finishReason: string | null | undefined;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
        text += next.value.choices[0]?.delta.content ?? '';
        finishReason = next.value.choices[0]?.finish_reason ?? finishReason;
      }
      return { text, endedAt: performance.now(), finishReason };
    },
  };
}

describe('SIGHUP', () => {
  it('applies a changed config (canary 0 → 100 %, a new alias) without dropping an in-flight stream', async () => {
    expect(await chatDeployment()).toBe('stable-dep');
    const newAliasBefore = await openai.chat.completions.create({ model: 'chat-added', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(newAliasBefore).toBeInstanceOf(OpenAI.NotFoundError);

    const stream = await startSlowStream();
    const before = reloadedCount();
    writeFileSync(configPath, variantConfig({ percent: 100, newAlias: 'chat-added' }));
    gateway.child.kill('SIGHUP');
    await waitFor('the "config reloaded" log line', () => reloadedCount() > before);
    const reloadedAt = performance.now();

    // The new config is in force for new requests…
    expect(await chatDeployment()).toBe('canary-dep');
    expect(await chatDeployment('chat-added')).toBe('stable-dep');

    // …while the stream that started before the reload ends normally, complete.
    const { text, endedAt, finishReason } = await stream.finish();
    expect(endedAt).toBeGreaterThan(reloadedAt);
    expect(text).toBe(LONG_PROMPT);
    expect(finishReason).toBe('stop');
  });

  it('refuses an invalid config with a clear error and keeps serving on the previous one', async () => {
    const refusedBefore = refusedCount();
    const reloadedBefore = reloadedCount();
    writeFileSync(configPath, variantConfig({ percent: 250, newAlias: 'chat-broken' }));
    gateway.child.kill('SIGHUP');
    await waitFor('the "config reload refused" line on stderr', () => refusedCount() > refusedBefore);
    // The refusal line, then one indented line per problem, located in the file.
    const output = gateway.output();
    const refusal = output.slice(output.lastIndexOf('config reload refused')).split('\n').slice(0, 3).join('\n');
    expect(refusal).toContain(`still running on the previous config: ${configPath}: 1 problem`);
    expect(refusal).toMatch(/line \d+, column \d+: models\[0\]\.canary\.percent: /);
    expect(reloadedCount()).toBe(reloadedBefore);

    // Still the last good config: canary at 100 %, chat-added present, chat-broken never loaded.
    expect(await chatDeployment()).toBe('canary-dep');
    expect(await chatDeployment('chat-added')).toBe('stable-dep');
    const broken = await openai.chat.completions.create({ model: 'chat-broken', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(broken).toBeInstanceOf(OpenAI.NotFoundError);
    expect(gateway.child.exitCode).toBeNull();
  });
});

describe('POST /admin/config/reload', () => {
  const reload = (key?: string) =>
    fetch(`${gateway.url}/admin/config/reload`, { method: 'POST', headers: key ? { authorization: `Bearer ${key}` } : {} }).then(async (response) => ({
      status: response.status,
      body: (await response.json()) as { status?: string; error?: { code: string; message: string } },
    }));

  it('needs an admin: no key → 401, a model key → 403, and nothing is reloaded', async () => {
    writeFileSync(configPath, variantConfig({ percent: 0 }));
    const before = reloadedCount();
    expect((await reload()).status).toBe(401);
    expect((await reload(CLIENT_KEY)).status).toBe(403);
    expect(reloadedCount()).toBe(before);
    expect(await chatDeployment()).toBe('canary-dep');
  });

  it('with the bootstrap admin key, applies the file while a stream in flight completes', async () => {
    writeFileSync(configPath, variantConfig({ percent: 0 }));
    const stream = await startSlowStream();
    const answer = await reload(ADMIN_KEY);
    expect(answer).toMatchObject({ status: 200, body: { status: 'reloaded' } });
    const reloadedAt = performance.now();
    expect(await chatDeployment()).toBe('stable-dep');
    // chat-added is gone from the file, so from the gateway too.
    const removed = await openai.chat.completions.create({ model: 'chat-added', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(removed).toBeInstanceOf(OpenAI.NotFoundError);
    const { text, endedAt } = await stream.finish();
    expect(endedAt).toBeGreaterThan(reloadedAt);
    expect(text).toBe(LONG_PROMPT);
  });

  it('refuses an invalid file with 400 and every problem, and the previous config stays', async () => {
    writeFileSync(configPath, variantConfig({ percent: 250 }));
    const answer = await reload(ADMIN_KEY);
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('invalid_request');
    expect(answer.body.error?.message).toContain('The new config was refused; the previous one stays in force.');
    expect(answer.body.error?.message).toMatch(/percent/);
    expect(await chatDeployment()).toBe('stable-dep');
    writeFileSync(configPath, baseConfig);
  });
});
