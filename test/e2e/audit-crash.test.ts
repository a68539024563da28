import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { runSwitchyard, startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';

/**
 * "Every request that received a response has an audit record", tested the hard way: a gateway
 * under load is killed with SIGKILL (no flush, no shutdown checkpoint), restarted on the same
 * database, and the ledger is compared with what the clients were told. The audit settings are
 * the defaults: `on_failure: reject`, and no `audit.secret`, so the gateway creates its key file
 * beside the database.
 */

const KEY = 'sy-e2e-crash-key-0123456789';
const WORKERS = 30;
const environment = { E2E_CRASH_KEY: KEY };

const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: loader, key: "\${env:E2E_CRASH_KEY}", department: ops }
deployments:
  - { id: local, tier: on-prem, provider: mock, mock: { ttft_ms: 15 } }
models:
  - { alias: chat, targets: [{ deployment: local, model: m }] }
`);
const directory = dirname(path);
const storageUrl = `sqlite:${join(directory, 'switchyard.db')}`;
const running = new Set<RunningProcess>();

afterAll(async () => {
  for (const gateway of running) await gateway.stop();
});

interface ExportedRecord {
  seq: number;
  requestId: string;
  status: string;
  httpStatus?: number;
}

async function exportRecords(): Promise<ExportedRecord[]> {
  const result = await runSwitchyard(['audit', 'export', '--format', 'jsonl', '--storage', storageUrl]);
  expect(result.code, result.stderr).toBe(0);
  return result.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExportedRecord);
}

describe('audit under SIGKILL', () => {
  it('keeps a record of every request that got a response, and the chain still verifies after restart', async () => {
    const gateway = await startSwitchyard(['serve', '--config', path], environment);
    running.add(gateway);
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0, timeout: 60_000 });

    /** Request id → HTTP status the client received; ids that got no response at all are not here. */
    const answered = new Map<string, number>();
    let lost = 0;
    let killed = false;
    let sequence = 0;
    const worker = async (index: number) => {
      while (!killed) {
        const requestId = `e2e-crash-${process.pid}-${index}-${++sequence}`;
        try {
          const completion = await client.chat.completions.create(
            { model: 'chat', messages: [{ role: 'user', content: `load ${requestId}` }], max_tokens: 16 },
            { headers: { 'x-request-id': requestId } },
          );
          expect(completion.choices[0]?.message.content).toBe(`load ${requestId}`);
          answered.set(requestId, 200);
        } catch (error) {
          if (error instanceof OpenAI.APIError && error.status !== undefined) answered.set(requestId, error.status);
          else lost += 1; // connection reset by the kill: no response, no promise of a record
        }
      }
    };
    const load = Array.from({ length: WORKERS }, (_, index) => worker(index));

    // Kill mid-flight once a good number of requests went through (or after a while on a slow machine).
    const deadline = Date.now() + 30_000;
    while (answered.size < 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const exited = new Promise((resolve) => gateway.child.once('exit', resolve));
    gateway.child.kill('SIGKILL');
    await exited;
    // Not stop()ped later: the harness's stop() waits for an exit that a killed child already had
    // (it checks exitCode, which stays null when a signal ended the process).
    running.delete(gateway);
    killed = true;
    await Promise.all(load);

    const ok = [...answered].filter(([, status]) => status === 200).map(([id]) => id);
    expect(ok.length).toBeGreaterThanOrEqual(30);
    expect(lost, 'requests in flight when the process died').toBeGreaterThan(0);
    // Under load with the upstream answering, nothing but 200s are expected before the kill.
    expect([...answered.values()].filter((status) => status !== 200)).toEqual([]);
    console.log(`crash test: ${ok.length} answered, ${lost} cut off by SIGKILL`);

    // The gateway's own key, created because the config has no audit.secret.
    const secretFile = join(directory, 'audit-secret');
    expect(statSync(secretFile).mode & 0o777).toBe(0o600);

    // Restart on the same database: the chain goes on from where the killed process left it.
    const restarted = await startSwitchyard(['serve', '--config', path], environment);
    running.add(restarted);
    const after = `e2e-crash-after-restart-${process.pid}`;
    const again = new OpenAI({ baseURL: `${restarted.url}/v1`, apiKey: KEY, maxRetries: 0 });
    await again.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'after restart' }] }, { headers: { 'x-request-id': after } });
    await restarted.stop();

    const records = await exportRecords();
    const byRequest = new Map<string, ExportedRecord[]>();
    for (const record of records) byRequest.set(record.requestId, [...(byRequest.get(record.requestId) ?? []), record]);
    const missing = ok.filter((id) => !byRequest.has(id));
    expect(missing, `${missing.length} of ${ok.length} answered requests have no audit record`).toEqual([]);
    for (const id of ok) expect(byRequest.get(id)).toEqual([expect.objectContaining({ status: 'ok', httpStatus: 200 })]);
    expect(byRequest.get(after)).toHaveLength(1);
    records.forEach((record, index) => expect(record.seq).toBe(index + 1));

    // No variable given: verify finds the key the gateway created beside the database.
    const verify = await runSwitchyard(['audit', 'verify', '--storage', storageUrl], { SWITCHYARD_AUDIT_SECRET: '' });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`audit chain intact: ${records.length} records verified, head seq ${records.length}`);
  });
});
