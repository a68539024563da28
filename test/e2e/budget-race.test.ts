import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import postgres from 'postgres';
import { postgresUnavailableReason, TEST_POSTGRES_URL } from '../support/storage/storage-test-targets.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runSwitchyard, startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * Budgets that are never overspent: 200 concurrent requests against a budget that fits exactly
 * 10 of them, through real gateway processes — one on SQLite, and two sharing one PostgreSQL
 * (the reservation must be atomic across replicas, not just inside one process).
 *
 * Every request costs the same, known amount: input is free, output costs $1000 per 1M tokens,
 * `max_tokens` is 10 and the (echoing) mock's reply is longer, so it is cut at exactly 10
 * tokens. Reservation = actual cost = $0.01; the budget is $0.10.
 */

const KEY = 'sy-e2e-race-key-0123456789';
const SECRET = 'e2e-race-audit-secret-0123456789';
const BUDGET_ID = 'racer-monthly';
const LIMIT_USD = 0.1;
const COST_USD = 0.01;
const LIMIT_MICROS = 100_000;
const REQUESTS = 200;
const FITS = 10;
const PROMPT = 'one two three four five six seven eight nine ten eleven twelve thirteen fourteen';
const environment = { E2E_RACE_KEY: KEY, E2E_RACE_SECRET: SECRET };

const POSTGRES_URL = TEST_POSTGRES_URL;

// CI promises a real PostgreSQL: there, an unreachable server fails this file instead of skipping.
const postgresProblem = await postgresUnavailableReason();
if (postgresProblem !== undefined) {
  if (process.env.CI === 'true') throw new Error(`PostgreSQL at ${POSTGRES_URL} is required in CI (budget race across two gateways): ${postgresProblem}`);
  console.warn(`\n  ⚠ SKIPPING the two-gateway PostgreSQL budget race: ${POSTGRES_URL} unreachable (${postgresProblem})\n`);
}

function config(storage: string): string {
  return `
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: racer, key: "\${env:E2E_RACE_KEY}", department: research }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m }] }
audit:
  secret: "\${env:E2E_RACE_SECRET}"
metering:
  prices:
    - { deployment: local, input_per_million: 0, output_per_million: 1000 }
  budgets:
    - { id: ${BUDGET_ID}, scope: { key: racer }, period: month, limit_usd: ${LIMIT_USD} }
${storage}`;
}

/** This calendar month in the metering zone (Asia/Taipei by default), e.g. 2026-11. */
function thisMonth(timeZone = 'Asia/Taipei'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  return `${parts.find((part) => part.type === 'year')!.value}-${parts.find((part) => part.type === 'month')!.value}`;
}

interface RaceResult {
  ok: number;
  refused: InstanceType<typeof OpenAI.APIError>[];
  other: unknown[];
  /** Responses (served or refused) per gateway, in the order given. */
  answeredBy: number[];
  /** The most that was ever spent + reserved on the budget, as sampled while the race ran. */
  peakMicros: number;
  samples: number;
}

/**
 * Fires all requests at once, spread round-robin over the gateways, while sampling the budget's
 * spent + reserved from the database.
 */
async function race(gatewayUrls: string[], outstandingMicros: () => Promise<number>): Promise<RaceResult> {
  const clients = gatewayUrls.map((url) => new OpenAI({ baseURL: `${url}/v1`, apiKey: KEY, maxRetries: 0, timeout: 20_000 }));
  let done = false;
  let peakMicros = 0;
  let samples = 0;
  const sampler = (async () => {
    while (!done) {
      peakMicros = Math.max(peakMicros, await outstandingMicros());
      samples += 1;
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  const outcomes = await Promise.allSettled(
    Array.from({ length: REQUESTS }, (_, index) =>
      clients[index % clients.length]!.chat.completions.create(
        { model: 'chat', messages: [{ role: 'user', content: PROMPT }], max_tokens: 10 },
        { headers: { 'x-request-id': `e2e-race-${process.pid}-${index}` } },
      ),
    ),
  );
  done = true;
  await sampler;
  peakMicros = Math.max(peakMicros, await outstandingMicros());
  const result: RaceResult = { ok: 0, refused: [], other: [], answeredBy: clients.map(() => 0), peakMicros, samples };
  for (const [index, outcome] of outcomes.entries()) {
    const answered = outcome.status === 'fulfilled' || (outcome.reason instanceof OpenAI.APIError && outcome.reason.status !== undefined);
    if (answered) result.answeredBy[index % clients.length]! += 1;
    if (outcome.status === 'fulfilled') {
      expect(outcome.value.usage?.completion_tokens).toBe(10);
      result.ok += 1;
    } else if (outcome.reason instanceof OpenAI.APIError && outcome.reason.status === 429) result.refused.push(outcome.reason);
    else result.other.push(outcome.reason);
  }
  return result;
}

/** Runs `switchyard <args>`; a process still running after `limitMs` is killed and reported as `code: 'hung'`. */
function runBounded(args: string[], limitMs: number): Promise<{ code: number | 'hung'; output: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let hung = false;
  const timer = setTimeout(() => {
    hung = true;
    child.kill('SIGKILL');
  }, limitMs);
  return new Promise((done) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code: hung ? 'hung' : (code ?? -1), output });
    }),
  );
}

/** The assertions both storage backends must pass. */
async function expectBudgetHeld(result: RaceResult, storageUrl: string): Promise<void> {
  expect(result.other, 'every request either succeeds or is refused with 429').toEqual([]);
  expect(result.ok).toBeLessThanOrEqual(FITS);
  // Reservation equals the actual cost, so the budget is used to the last request that fits.
  expect(result.ok).toBe(FITS);
  expect(result.refused).toHaveLength(REQUESTS - FITS);
  for (const refusal of result.refused) {
    expect(refusal.code).toBe('budget_exceeded');
    expect(refusal.message).toContain(`Budget '${BUDGET_ID}'`);
    expect(Number(refusal.headers?.get('retry-after'))).toBeGreaterThan(0);
  }
  // Never more than the budget outstanding (spent + reserved), at any sampled moment.
  expect(result.samples).toBeGreaterThan(0);
  expect(result.peakMicros).toBeLessThanOrEqual(LIMIT_MICROS);

  const spend = await runSwitchyard(['spend', '--json', '--storage', storageUrl, '--by', 'key', '--period', thisMonth()]);
  expect(spend.code, spend.stderr).toBe(0);
  const report = JSON.parse(spend.stdout) as { totalUsd: number; rows: Array<{ group: string | null; requests: number; costUsd: number; outputTokens: number }> };
  const racer = report.rows.find((row) => row.group === 'racer');
  expect(racer).toMatchObject({ requests: result.ok, outputTokens: 10 * result.ok });
  expect(racer!.costUsd).toBeLessThanOrEqual(LIMIT_USD + 1e-9);
  expect(racer!.costUsd).toBeCloseTo(result.ok * COST_USD, 9);
}

/** Every request, allowed or refused, is in one intact chain. */
async function expectAudited(storageUrl: string): Promise<void> {
  const [exported, verify] = await Promise.all([
    runSwitchyard(['audit', 'export', '--format', 'jsonl', '--storage', storageUrl]),
    runSwitchyard(['audit', 'verify', '--storage', storageUrl, '--secret-env', 'E2E_RACE_SECRET'], environment),
  ]);
  expect(exported.code, exported.stderr).toBe(0);
  const records = exported.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as { requestId: string; status: string; errorCode?: string; costUsd?: number });
  const race = records.filter((record) => record.requestId.startsWith(`e2e-race-${process.pid}-`));
  expect(new Set(race.map((record) => record.requestId)).size).toBe(REQUESTS);
  expect(race.filter((record) => record.status === 'ok')).toHaveLength(FITS);
  expect(race.filter((record) => record.status === 'denied' && record.errorCode === 'budget_exceeded')).toHaveLength(REQUESTS - FITS);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  expect(verify.stdout).toContain(`audit chain intact: ${records.length} records verified`);
}

describe('budget race, one gateway on SQLite', () => {
  let gateway: RunningProcess;
  let storageUrl: string;
  let database: Database.Database;

  beforeAll(async () => {
    const path = writeTempConfig(config(''));
    storageUrl = `sqlite:${join(dirname(path), 'switchyard.db')}`;
    gateway = await startSwitchyard(['serve', '--config', path], environment);
    database = new Database(storageUrl.slice('sqlite:'.length), { readonly: true });
  });

  afterAll(async () => {
    database?.close();
    await gateway?.stop();
  });

  it(`${REQUESTS} concurrent requests against a budget for ${FITS}: at most ${FITS} served, the rest 429 budget_exceeded`, async () => {
    const outstanding = database.prepare('SELECT COALESCE(SUM(spent_micros + reserved_micros), 0) AS used FROM budget_usage WHERE budget_id = ?');
    const result = await race([gateway.url], async () => Number((outstanding.get(BUDGET_ID) as { used: number | bigint }).used));
    await expectBudgetHeld(result, storageUrl);
    const [row] = database.prepare('SELECT spent_micros AS spent, reserved_micros AS reserved FROM budget_usage WHERE budget_id = ?').all(BUDGET_ID) as Array<{ spent: number; reserved: number }>;
    expect(row).toEqual({ spent: FITS * 10_000, reserved: 0 });
    await expectAudited(storageUrl);
  });
});

describe.skipIf(postgresProblem !== undefined)('budget race, two gateways sharing PostgreSQL', () => {
  const schema = `e2e_race_${process.pid}_${Date.now()}`;
  const admin = postgres(POSTGRES_URL, { max: 2, onnotice: () => undefined });
  const gateways: RunningProcess[] = [];
  let storageUrl: string;

  beforeAll(async () => {
    await admin.unsafe(`CREATE SCHEMA ${schema}`);
    const url = new URL(POSTGRES_URL);
    url.searchParams.set('search_path', schema);
    storageUrl = url.toString();
    const path = writeTempConfig(config(`storage: { url: "${storageUrl}", max_connections: 5 }\n`));
    gateways.push(...(await Promise.all([startSwitchyard(['serve', '--config', path], environment), startSwitchyard(['serve', '--config', path], environment)])));
  });

  afterAll(async () => {
    for (const gateway of gateways) await gateway.stop();
    await admin.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end({ timeout: 5 });
  });

  it('refuses to start without audit.secret: every replica must sign with the same key', async () => {
    const path = writeTempConfig(config(`storage: { url: "${storageUrl}" }\n`).replace(/^audit:\n.*\n/m, ''));
    expect(readFileSync(path, 'utf8')).not.toContain('audit:');
    const result = await runBounded(['serve', '--config', path], 5_000);
    expect(result.output).toContain('audit.secret is required with PostgreSQL');
    // The key is checked before the database is opened, and a failed start exits at once.
    expect(result.code).toBe(1);
  });

  it(`${REQUESTS} concurrent requests split over two gateways: at most ${FITS} served, the rest 429 budget_exceeded`, async () => {
    expect(gateways).toHaveLength(2);
    const outstanding = async () => {
      const [row] = await admin.unsafe<Array<{ used: string }>>(
        `SELECT COALESCE(SUM(spent_micros + reserved_micros), 0)::text AS used FROM ${schema}.budget_usage WHERE budget_id = $1`,
        [BUDGET_ID],
      );
      return Number(row?.used ?? 0);
    };
    const result = await race(gateways.map((gateway) => gateway.url), outstanding);
    await expectBudgetHeld(result, storageUrl);
    const rows = await admin.unsafe<Array<{ spent: string; reserved: string }>>(
      `SELECT spent_micros::text AS spent, reserved_micros::text AS reserved FROM ${schema}.budget_usage WHERE budget_id = $1`,
      [BUDGET_ID],
    );
    expect(rows.map((row) => ({ spent: Number(row.spent), reserved: Number(row.reserved) }))).toEqual([{ spent: FITS * 10_000, reserved: 0 }]);
    // Each replica alone would have let 10 through; both refused, from the one shared ledger.
    expect(result.answeredBy).toEqual([REQUESTS / 2, REQUESTS / 2]);
    await expectAudited(storageUrl);
  });
});
