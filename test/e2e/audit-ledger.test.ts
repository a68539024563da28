import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSwitchyard, startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * The audit ledger and metering as users meet them: a gateway process and a mock upstream
 * process, the official SDK as the client, and the records read back with the CLI
 * (`audit export`, `audit verify`, `spend`) from the SQLite file the gateway wrote.
 */

const KEY = 'sy-e2e-audit-key-0123456789';
const SECRET = 'e2e-audit-hmac-secret-0123456789';
const NATIONAL_ID = 'A123456789';
// USD per 1M tokens: cost = (input × 1000 + output × 2000) / 1e6.
const INPUT_PRICE = 1000;
const OUTPUT_PRICE = 2000;

let upstream: RunningProcess;
let gateway: RunningProcess;
let client: OpenAI;
let storageUrl: string;
const env = { E2E_AUDIT_KEY: KEY, E2E_AUDIT_SECRET: SECRET };

interface ExportedRecord {
  seq: number;
  id: string;
  time: string;
  hash: string;
  prevHash: string;
  requestId: string;
  status: string;
  httpStatus?: number;
  errorCode?: string;
  principal?: { id: string; department?: string; team?: string; roles: string[] };
  inbound: string;
  alias?: string;
  deployment?: string;
  tier?: string;
  upstreamModel?: string;
  dataClass?: string;
  entities?: Record<string, number>;
  ruleMatched?: string;
  tokens?: { input: number; output: number; estimated: boolean };
  costUsd?: number;
  stream?: boolean;
  ttftMs?: number;
  latencyMs?: number;
  attempts?: Array<{ deployment: string; code: string; reason: string; status?: number }>;
  tags?: Record<string, string>;
  content?: { mode: string; request?: string; response?: string; requestSha256?: string; responseSha256?: string };
}

async function exportRecords(): Promise<ExportedRecord[]> {
  const result = await runSwitchyard(['audit', 'export', '--format', 'jsonl', '--storage', storageUrl]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExportedRecord);
}

/**
 * Each CLI run is a fresh Node process (~1 s on a small machine), so the scenarios send their
 * requests first and read the ledger once; a test that changes the ledger clears the cache.
 */
let exported: Promise<ExportedRecord[]> | undefined;
const ledger = () => (exported ??= exportRecords());

async function recordFor(requestId: string): Promise<ExportedRecord> {
  const matches = (await ledger()).filter((record) => record.requestId === requestId);
  expect(matches, `exactly one audit record for ${requestId}`).toHaveLength(1);
  return matches[0]!;
}

let counter = 0;
const newId = (label: string) => `e2e-audit-${label}-${process.pid}-${++counter}`;

/**
 * The calendar month of `at` in the gateway's metering zone (Asia/Taipei by default), e.g.
 * 2026-11. Tests pass the time of the records themselves, not today's date, so a run that
 * straddles a month end still asks for the period the gateway booked.
 */
function monthOf(at: Date, timeZone = 'Asia/Taipei'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(at);
  return `${parts.find((part) => part.type === 'year')!.value}-${parts.find((part) => part.type === 'month')!.value}`;
}

const expectedCost = (tokens: { input: number; output: number }) => (tokens.input * INPUT_PRICE + tokens.output * OUTPUT_PRICE) / 1_000_000;

beforeAll(async () => {
  upstream = await startSwitchyard(['mock-upstream', '--port', '0']);
  const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: fin-key, key: "\${env:E2E_AUDIT_KEY}", department: finance, team: payables }
deployments:
  - { id: cloud, tier: api, provider: openai-compatible, base_url: "${upstream.url}/v1" }
  - { id: dead, tier: on-prem, provider: openai-compatible, base_url: "http://127.0.0.1:9/v1", timeouts: { connect_ms: 500 } }
models:
  - { alias: cloud-chat, targets: [{ deployment: cloud, model: gpt-4o-mini }] }
  - { alias: failover-chat, targets: [{ deployment: dead, model: m, weight: 1 }, { deployment: cloud, model: gpt-4o-mini, weight: 0 }] }
audit:
  secret: "\${env:E2E_AUDIT_SECRET}"
metering:
  prices:
    - { deployment: cloud, input_per_million: ${INPUT_PRICE}, output_per_million: ${OUTPUT_PRICE} }
`);
  storageUrl = `sqlite:${join(dirname(path), 'switchyard.db')}`;
  gateway = await startSwitchyard(['serve', '--config', path], env);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await gateway?.stop();
  await upstream?.stop();
});

/** What each scenario sent and what the client saw; the ledger is read after all of them ran. */
const sent = {
  ok: { id: newId('ok'), model: '', usage: undefined as OpenAI.CompletionUsage | undefined },
  denied: { id: newId('denied'), error: undefined as unknown },
  unauthenticated: { id: newId('unauth'), error: undefined as unknown },
  notFound: { id: newId('notfound'), error: undefined as unknown },
  stream: { id: newId('stream'), text: '', sawUsage: false },
  cut: { id: newId('cut'), text: '', error: undefined as unknown },
  failover: { id: newId('failover'), deployment: null as string | null },
};
const STREAM_PROMPT = 'Stream the month-end summary, 一字不漏 please.';
const withId = (id: string) => ({ headers: { 'x-request-id': id } });
const user = (content: string) => [{ role: 'user' as const, content }];

async function runScenarios(): Promise<void> {
  const ok = await client.chat.completions
    .create({ model: 'cloud-chat', messages: user('Summarise the quarterly close checklist.'), max_tokens: 64 }, withId(sent.ok.id))
    .withResponse();
  expect(ok.response.headers.get('x-request-id')).toBe(sent.ok.id);
  sent.ok.model = ok.data.model;
  sent.ok.usage = ok.data.usage;

  sent.denied.error = await client.chat.completions
    .create({ model: 'cloud-chat', messages: user(`身分證字號 ${NATIONAL_ID} 的保單狀態？`) }, withId(sent.denied.id))
    .catch((caught: unknown) => caught);

  const stranger = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sy-not-a-real-key-000000', maxRetries: 0 });
  sent.unauthenticated.error = await stranger.chat.completions
    .create({ model: 'cloud-chat', messages: user('hello') }, withId(sent.unauthenticated.id))
    .catch((caught: unknown) => caught);

  sent.notFound.error = await client.chat.completions
    .create({ model: 'no-such-alias', messages: user('hello') }, withId(sent.notFound.id))
    .catch((caught: unknown) => caught);

  // No stream_options: the gateway asks upstream for usage itself and strips it back out.
  const stream = await client.chat.completions.create({ model: 'cloud-chat', messages: user(STREAM_PROMPT), stream: true }, withId(sent.stream.id));
  for await (const chunk of stream) {
    sent.stream.text += chunk.choices[0]?.delta.content ?? '';
    sent.stream.sawUsage ||= chunk.usage != null;
  }

  const cut = await client.chat.completions.create(
    { model: 'cloud-chat', messages: user('a long enough answer to be cut in the middle [[mock:fault=stream_cut:2]]'), stream: true },
    withId(sent.cut.id),
  );
  try {
    for await (const chunk of cut) sent.cut.text += chunk.choices[0]?.delta.content ?? '';
  } catch (error) {
    sent.cut.error = error;
  }

  const failover = await client.chat.completions.create({ model: 'failover-chat', messages: user('still answered') }, withId(sent.failover.id)).withResponse();
  sent.failover.deployment = failover.response.headers.get('x-switchyard-deployment');
}

describe('audit records through the gateway', () => {
  beforeAll(runScenarios);

  it('records an allowed request: who, where, what it cost', async () => {
    const record = await recordFor(sent.ok.id);
    expect(record).toMatchObject({
      status: 'ok',
      httpStatus: 200,
      inbound: 'openai-chat',
      principal: { id: 'fin-key', department: 'finance', team: 'payables' },
      alias: 'cloud-chat',
      deployment: 'cloud',
      tier: 'api',
      upstreamModel: sent.ok.model,
      dataClass: 'public',
      entities: {},
      ruleMatched: 'default',
      tokens: { input: sent.ok.usage!.prompt_tokens, output: sent.ok.usage!.completion_tokens, estimated: false },
      tags: { department: 'finance', team: 'payables' },
    });
    expect(record.costUsd).toBeGreaterThan(0);
    expect(record.costUsd).toBeCloseTo(expectedCost(record.tokens!), 9);
    expect(record.attempts).toBeUndefined();
    expect(record.latencyMs).toBeGreaterThanOrEqual(0);
    // Default capture mode is `hash`: the text is provable, not stored.
    expect(record.content).toMatchObject({ mode: 'hash', requestSha256: expect.stringMatching(/^[0-9a-f]{64}$/), responseSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(record)).not.toContain('quarterly close');
  });

  it('records a policy refusal of a national ID bound for a public-API alias: class, entity counts, rule — never the ID', async () => {
    expect(sent.denied.error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((sent.denied.error as InstanceType<typeof OpenAI.PermissionDeniedError>).code).toBe('policy_denied');
    const record = await recordFor(sent.denied.id);
    expect(record).toMatchObject({
      status: 'denied',
      httpStatus: 403,
      errorCode: 'policy_denied',
      principal: { id: 'fin-key', department: 'finance' },
      alias: 'cloud-chat',
      dataClass: 'restricted',
      entities: { TW_NATIONAL_ID: 1 },
    });
    expect(record.ruleMatched).toEqual(expect.any(String));
    expect(record.deployment).toBeUndefined();
    expect(record.tokens).toBeUndefined();
    expect(record.costUsd ?? 0).toBe(0);
    expect(JSON.stringify(record)).not.toContain(NATIONAL_ID);
  });

  it('records a wrong key (401) with no principal and no trace of the key', async () => {
    expect(sent.unauthenticated.error).toBeInstanceOf(OpenAI.AuthenticationError);
    const record = await recordFor(sent.unauthenticated.id);
    expect(record).toMatchObject({ status: 'denied', httpStatus: 401, errorCode: 'invalid_api_key', inbound: 'openai-chat', clientAddress: expect.any(String) });
    expect(record.principal).toBeUndefined();
    expect(JSON.stringify(record)).not.toContain('sy-not-a-real-key');
  });

  it('records an unknown alias (404) with the principal who asked', async () => {
    expect(sent.notFound.error).toBeInstanceOf(OpenAI.NotFoundError);
    const record = await recordFor(sent.notFound.id);
    expect(record).toMatchObject({ status: 'denied', httpStatus: 404, errorCode: 'model_not_found', principal: { id: 'fin-key' } });
    expect(record.deployment).toBeUndefined();
  });

  it('meters and audits a stream from the usage in its final chunk, though the client did not ask for usage', async () => {
    expect(sent.stream.text).toBe(STREAM_PROMPT);
    expect(sent.stream.sawUsage).toBe(false);
    const record = await recordFor(sent.stream.id);
    expect(record).toMatchObject({ status: 'ok', httpStatus: 200, stream: true, deployment: 'cloud', tier: 'api', alias: 'cloud-chat' });
    // Provider usage, not an estimate: the gateway asked upstream for stream_options.include_usage.
    expect(record.tokens).toMatchObject({ estimated: false });
    expect(record.tokens!.output).toBeGreaterThan(0);
    expect(record.tokens!.input).toBeGreaterThan(0);
    expect(record.costUsd).toBeGreaterThan(0);
    expect(record.costUsd).toBeCloseTo(expectedCost(record.tokens!), 9);
    expect(record.ttftMs).toEqual(expect.any(Number));
  });

  it('records a stream cut after the first byte as incomplete, still metered', async () => {
    expect(sent.cut.error).toBeInstanceOf(Error);
    expect(sent.cut.text.length).toBeGreaterThan(0);
    const record = await recordFor(sent.cut.id);
    expect(record).toMatchObject({ status: 'incomplete', stream: true, deployment: 'cloud', alias: 'cloud-chat', errorCode: 'upstream_stream_interrupted' });
    // No usage chunk arrived: what was streamed before the cut is counted by the gateway.
    expect(record.tokens).toMatchObject({ estimated: true });
    expect(record.tokens!.output).toBeGreaterThan(0);
    expect(record.costUsd).toBeCloseTo(expectedCost(record.tokens!), 9);
  });

  it('records the failed attempt of a request that succeeded after failover', async () => {
    expect(sent.failover.deployment).toBe('cloud');
    const record = await recordFor(sent.failover.id);
    expect(record).toMatchObject({ status: 'ok', deployment: 'cloud', tier: 'api', alias: 'failover-chat' });
    expect(record.attempts).toEqual([expect.objectContaining({ deployment: 'dead', code: 'upstream_unavailable', reason: expect.any(String) })]);
    expect(JSON.stringify(record.attempts)).not.toContain('127.0.0.1:9');
  });

  it('exports one gap-free chain, seq 1…n, each record linking to the one before', async () => {
    const records = await ledger();
    expect(records.map((record) => record.requestId)).toEqual(Object.values(sent).map((scenario) => scenario.id));
    records.forEach((record, index) => {
      expect(record.seq).toBe(index + 1);
      if (index > 0) expect(record.prevHash).toBe(records[index - 1]!.hash);
    });
  });
});

describe('spend report', () => {
  it('`switchyard spend --by department` shows the department and what it spent this month', async () => {
    const charged = (await ledger()).filter((record) => record.principal?.department === 'finance' && record.costUsd !== undefined);
    const period = monthOf(new Date(charged[0]!.time));
    const expected = charged.reduce((sum, record) => sum + (record.costUsd ?? 0), 0);
    expect(charged.length).toBe(4); // ok, stream, cut stream, failover
    expect(expected).toBeGreaterThan(0);

    const [table, json] = await Promise.all([
      runSwitchyard(['spend', '--by', 'department', '--period', period, '--storage', storageUrl]),
      runSwitchyard(['spend', '--by', 'department', '--period', period, '--json', '--storage', storageUrl]),
    ]);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toContain(`spend by department, ${period} (Asia/Taipei)`);
    expect(table.stdout).toMatch(/^department\s+requests\s+input tokens\s+output tokens\s+cost USD$/m);
    const row = table.stdout.split('\n').find((line) => line.startsWith('finance '));
    expect(row, table.stdout).toBeDefined();
    const cells = row!.trim().split(/\s+/);
    expect(cells[0]).toBe('finance');
    expect(Number(cells[1])).toBe(charged.length);
    expect(cells.at(-1)).toBe(expected.toFixed(4));

    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { rows: Array<{ group: string | null; requests: number; costUsd: number }> };
    const finance = report.rows.find((entry) => entry.group === 'finance');
    expect(finance?.requests).toBe(charged.length);
    expect(finance?.costUsd).toBeCloseTo(expected, 6);
  });
});

describe('audit verify', () => {
  const verify = (environment: NodeJS.ProcessEnv = env) =>
    runSwitchyard(['audit', 'verify', '--storage', storageUrl, '--secret-env', 'E2E_AUDIT_SECRET'], environment);

  it('exits 0 on the intact chain, 2 without the secret', async () => {
    const [intact, missing] = await Promise.all([verify(), verify({ E2E_AUDIT_SECRET: '' })]);
    expect(intact.code, intact.stdout + intact.stderr).toBe(0);
    expect(intact.stdout).toMatch(/^audit chain intact: \d+ records verified, head seq \d+$/m);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/secret/);
  });

  it('exits 1 naming the first record edited in the database file, with the kind `edited`', async () => {
    const records = await ledger();
    const early = records.find((record) => record.requestId === sent.ok.id)!;
    const late = records.find((record) => record.requestId === sent.denied.id)!;
    const database = new Database(storageUrl.slice('sqlite:'.length));
    database.pragma('busy_timeout = 5000');
    try {
      // A DBA hides a refusal from `status=denied` searches (a query column only)…
      expect(database.prepare("UPDATE audit_records SET status = 'ok' WHERE seq = ?").run(late.seq).changes).toBe(1);
      const hidden = await verify();
      expect(hidden.code, hidden.stdout + hidden.stderr).toBe(1);
      expect(hidden.stdout).toContain(`audit chain BROKEN: edited at record ${late.id} (seq ${late.seq})`);

      // …and makes an earlier request look free (one field of the signed body).
      expect(database.prepare("UPDATE audit_records SET body = json_set(body, '$.costUsd', 0) WHERE seq = ?").run(early.seq).changes).toBe(1);
    } finally {
      database.close();
    }
    const edited = await verify();
    expect(edited.code, edited.stdout + edited.stderr).toBe(1);
    expect(edited.stdout).toContain(`audit chain BROKEN: edited at record ${early.id} (seq ${early.seq})`);
  });
});
