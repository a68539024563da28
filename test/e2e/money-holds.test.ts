import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import OpenAI from 'openai';
import postgres from 'postgres';
import { postgresUnavailableReason, TEST_POSTGRES_URL } from '../support/storage/storage-test-targets.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';
import { auditRecord, waitFor } from './traffic-helpers.js';

/** Generous: these spawn real processes on a machine shared with other work. */
const TIMEOUT_MS = 180_000;

/**
 * Money holds against what broke it before: the `n` fan-out attack on two gateways sharing one
 * PostgreSQL, a price added by reload applying to the very next request (and a reload that
 * cannot apply live being refused whole), and an upstream reporting impossible usage.
 */

const KEY = 'sy-e2e-money-key-0123456789';
const SECRET = 'e2e-money-audit-secret-0123456789';
const environment = { E2E_MONEY_KEY: KEY, E2E_MONEY_SECRET: SECRET };
const PROMPT = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen';
const POSTGRES_URL = TEST_POSTGRES_URL;
const postgresProblem = await postgresUnavailableReason();
if (postgresProblem !== undefined) {
  if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${POSTGRES_URL} is required in CI (n fan-out across two gateways): ${postgresProblem}`);
  console.warn(`\n  ⚠ SKIPPING the two-gateway n fan-out attack: ${POSTGRES_URL} unreachable (${postgresProblem})\n`);
}

describe.skipIf(postgresProblem !== undefined)('the n fan-out attack against two gateways sharing PostgreSQL', () => {
  const schema = `e2e_fanout_${process.pid}_${Date.now()}`;
  const admin = postgres(POSTGRES_URL, { max: 2, onnotice: () => undefined });
  const gateways: RunningProcess[] = [];
  const LIMIT_MICROS = 500_000;

  beforeAll(async () => {
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('search_path', schema);
    // An upstream that honours n (the mock answers every choice and bills them all), output at
    // $1000 per 1M tokens, a $0.50 daily budget, and no max_tokens from half of the attackers.
    const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: attacker, key: "\${env:E2E_MONEY_KEY}" }
deployments:
  - { id: upstream, tier: api, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: upstream, model: m }] }
audit:
  secret: "\${env:E2E_MONEY_SECRET}"
metering:
  prices:
    - { deployment: upstream, input_per_million: 0, output_per_million: 1000 }
  budgets:
    - { id: daily, scope: { key: attacker }, period: day, limit_usd: 0.5 }
  default_max_output_tokens: 10
storage: { url: "${url.toString()}", max_connections: 5 }
`);
    gateways.push(...(await Promise.all([startSwitchyard(['serve', '--config', path], environment), startSwitchyard(['serve', '--config', path], environment)])));
  }, TIMEOUT_MS);

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end({ timeout: 5 });
  }, TIMEOUT_MS);

  it('40 concurrent requests with n: 20 settle at most the budget', async () => {
    const clients = gateways.map((gateway) => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0, timeout: 30_000 }));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, index) =>
        clients[index % 2]!.chat.completions.create({
          model: 'chat',
          messages: [{ role: 'user', content: PROMPT }],
          n: 20,
          // Half ask for no cap at all: the reservation must still hold for what the upstream can bill.
          ...(index % 4 < 2 ? {} : { max_tokens: 10 }),
        }),
      ),
    );
    const served = outcomes.filter((outcome) => outcome.status === 'fulfilled').map((outcome) => outcome.value);
    const refused = outcomes.filter((outcome) => outcome.status === 'rejected').map((outcome) => outcome.reason as InstanceType<typeof OpenAI.APIError>);
    for (const refusal of refused) {
      expect(refusal.status).toBe(429);
      expect(refusal.code).toBe('budget_exceeded');
      // The refusal quotes the fan-out: 20 choices × 10 tokens × $0.001.
      expect(refusal.message).toContain('may cost up to $0.2000');
    }
    // The attack is real: every served request got 20 billed choices.
    for (const response of served) {
      expect(response.choices).toHaveLength(20);
      expect(response.usage?.completion_tokens).toBe(200);
    }
    expect(served.length).toBe(2);
    const [row] = await admin.unsafe<Array<{ spent: string; reserved: string }>>(
      `SELECT COALESCE(SUM(spent_micros), 0)::text AS spent, COALESCE(SUM(reserved_micros), 0)::text AS reserved FROM ${schema}.budget_usage WHERE budget_id = 'daily'`,
    );
    expect(Number(row!.spent)).toBeLessThanOrEqual(LIMIT_MICROS);
    expect(Number(row!.spent)).toBe(served.length * 200_000);
    expect(Number(row!.reserved)).toBe(0);
  }, TIMEOUT_MS);
});

describe('prices reload with the config, all or nothing', () => {
  let gateway: RunningProcess;
  let configPath: string;
  let databasePath: string;
  let client: OpenAI;
  const config = (price: string, period: string) => `
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: reloader, key: "\${env:E2E_MONEY_KEY}" }
deployments:
  - { id: hosted, tier: api, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: hosted, model: house-model }] }
audit:
  secret: "\${env:E2E_MONEY_SECRET}"
metering:
${price}  budgets:
    - { id: roomy, scope: { key: reloader }, period: ${period}, limit_usd: 1000 }
`;

  beforeAll(async () => {
    configPath = writeTempConfig(config('', 'month'));
    databasePath = join(dirname(configPath), 'switchyard.db');
    gateway = await startSwitchyard(['serve', '--config', configPath], environment);
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0, timeout: 20_000 });
  }, TIMEOUT_MS);
  afterAll(async () => {
    await gateway?.stop();
  }, TIMEOUT_MS);

  const ask = async (requestId: string) => {
    const response = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: PROMPT }], max_tokens: 10 }, { headers: { 'x-request-id': requestId } });
    expect(response.usage?.completion_tokens).toBe(10);
    return auditRecord(databasePath, requestId);
  };
  const reload = async (withText: string, expectLog: string) => {
    const before = gateway.output().split(expectLog).length;
    writeFileSync(configPath, withText);
    gateway.child.kill('SIGHUP');
    await waitFor(`'${expectLog}' after SIGHUP`, () => gateway.output().split(expectLog).length > before, 10_000);
  };

  it('warns about the unpriced deployment, then prices the next request after a reload, and refuses a period change', async () => {
    expect(gateway.output()).toContain("deployment 'hosted' (model 'house-model', alias 'chat') has no price");
    const unpriced = await ask(`money-reload-${process.pid}-1`);
    expect(unpriced).toMatchObject({ costUsd: 0, unpriced: true });

    const base = readFileSync(configPath, 'utf8');
    await reload(base.replace('metering:\n', 'metering:\n  prices:\n    - { deployment: hosted, input_per_million: 0, output_per_million: 2000 }\n'), 'config reloaded');
    const priced = await ask(`money-reload-${process.pid}-2`);
    expect(priced.costUsd).toBeCloseTo(10 * 2000 / 1e6, 9);
    expect(priced.unpriced).toBeUndefined();

    // A new price together with a budget period change: refused whole, the old price stays.
    const current = readFileSync(configPath, 'utf8');
    await reload(current.replace('output_per_million: 2000', 'output_per_million: 9000').replace('period: month', 'period: day'), 'config reload refused');
    expect(gateway.output()).toContain("budget 'roomy' changes period from month to day");
    const still = await ask(`money-reload-${process.pid}-3`);
    expect(still.costUsd).toBeCloseTo(10 * 2000 / 1e6, 9);
  }, TIMEOUT_MS);
});

describe('an upstream that reports impossible usage', () => {
  let upstream: Server;
  let gateway: RunningProcess;
  let databasePath: string;

  beforeAll(async () => {
    upstream = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      request.on('end', () => {
        if ((JSON.parse(text) as { stream?: boolean }).stream) {
          response.setHeader('content-type', 'text/event-stream');
          const base = { id: 'chatcmpl-liar', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'liar-1' };
          for (const chunk of [
            { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'fine' }, finish_reason: null }] },
            { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
            { ...base, choices: [], usage: { prompt_tokens: 3.5, completion_tokens: -1, total_tokens: 2 } },
          ]) response.write(`data: ${JSON.stringify(chunk)}\n\n`);
          response.end('data: [DONE]\n\n');
          return;
        }
        response.setHeader('content-type', 'application/json');
        response.end(
          JSON.stringify({
            id: 'chatcmpl-liar',
            object: 'chat.completion',
            created: 1_700_000_000,
            model: 'liar-1',
            choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }],
            usage: { prompt_tokens: -5, completion_tokens: 1e12, total_tokens: 1e12 },
          }),
        );
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const port = (upstream.address() as AddressInfo).port;
    const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: victim, key: "\${env:E2E_MONEY_KEY}" }
deployments:
  - { id: liar, tier: private-cloud, provider: openai-compatible, base_url: "http://127.0.0.1:${port}/v1" }
models:
  - { alias: chat, targets: [{ deployment: liar, model: liar-1 }] }
audit:
  secret: "\${env:E2E_MONEY_SECRET}"
metering:
  prices:
    - { deployment: liar, input_per_million: 1, output_per_million: 1000 }
`);
    databasePath = join(dirname(path), 'switchyard.db');
    gateway = await startSwitchyard(['serve', '--config', path], environment);
  }, TIMEOUT_MS);
  afterAll(async () => {
    await gateway?.stop();
    await new Promise((resolve) => upstream?.close(resolve));
  }, TIMEOUT_MS);

  it('clamps the counts to what the request allowed, for the client, the ledger and the audit record', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0, timeout: 20_000 });
    const requestId = `money-liar-${process.pid}`;
    const response = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hello' }], max_tokens: 7 }, { headers: { 'x-request-id': requestId } });
    expect(response.usage?.completion_tokens).toBe(7);
    expect(response.usage?.prompt_tokens).toBeGreaterThan(0);
    const record = await auditRecord(databasePath, requestId);
    const tokens = record.tokens as { input: number; output: number; clamped: Array<{ field: string; reported: string; reason: string; used: number }> };
    expect(tokens.output).toBe(7);
    expect(tokens.input).toBe(response.usage?.prompt_tokens);
    expect(tokens.clamped).toEqual([
      { field: 'input', reported: '-5', used: tokens.input, reason: 'negative' },
      { field: 'output', reported: '1000000000000', used: 7, reason: 'above_cap' },
    ]);
    expect(record.costUsd as number).toBeCloseTo((tokens.input * 1 + 7 * 1000) / 1e6, 9);
    await waitFor('the clamp warning', () => gateway.output().includes('upstream reported impossible usage'));
  }, TIMEOUT_MS);

  it('clamps the usage chunk of a stream too', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0, timeout: 20_000 });
    const requestId = `money-liar-stream-${process.pid}`;
    const stream = await client.chat.completions.create(
      { model: 'chat', messages: [{ role: 'user', content: 'hello' }], max_tokens: 7, stream: true, stream_options: { include_usage: true } },
      { headers: { 'x-request-id': requestId } },
    );
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.completion_tokens).toBe(7);
    expect(Number.isInteger(usage?.prompt_tokens)).toBe(true);
    const record = await auditRecord(databasePath, requestId);
    const tokens = record.tokens as { clamped: Array<{ field: string; reason: string }> };
    expect(tokens.clamped.map((entry) => [entry.field, entry.reason])).toEqual([['input', 'not_integer'], ['output', 'negative']]);
  }, TIMEOUT_MS);
});
