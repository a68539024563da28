import { dirname, join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { runSwitchyard, startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';
import { canConnect, logLines, waitFor } from './traffic-helpers.js';

/**
 * SIGTERM on a real gateway process with real streams in flight. The mock deployment streams 10
 * tokens per second, so a 20-token stream ends inside the drain deadline and a 300-token one
 * cannot. Timeline after the signal: readiness false at once, still accepting for `grace_ms`,
 * then new connections refused; the short stream and the non-stream request finish; at
 * `deadline_ms` the long streams (OpenAI and Anthropic wire format) get an explicit
 * `server_shutting_down` error event; audit and spend are flushed and the process exits 0.
 */

const KEY = 'sy-e2e-drain-key-0123456789';
const environment = { E2E_DRAIN_KEY: KEY };
const GRACE_MS = 3_000;
const DEADLINE_MS = 8_000;

const path = writeTempConfig(`
server: { host: 127.0.0.1, port: 0, shutdown: { grace_ms: ${GRACE_MS}, deadline_ms: ${DEADLINE_MS} } }
auth:
  keys:
    - { id: drainer, key: "\${env:E2E_DRAIN_KEY}", department: ops }
deployments:
  - { id: local, tier: on-prem, provider: mock, mock: { tokens_per_second: 10 } }
models:
  - { alias: chat, targets: [{ deployment: local, model: m }] }
metering:
  prices:
    - { deployment: local, input_per_million: 0, output_per_million: 1000 }
`);
const storageUrl = `sqlite:${join(dirname(path), 'switchyard.db')}`;
const words = (count: number) => Array.from({ length: count }, (_, index) => `word${index}`).join(' ');
let gateway: RunningProcess | undefined;

/** This calendar month in the metering zone (Asia/Taipei by default), e.g. 2026-11. */
function thisMonth(timeZone = 'Asia/Taipei'): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date());
  return `${parts.find((part) => part.type === 'year')!.value}-${parts.find((part) => part.type === 'month')!.value}`;
}

afterAll(async () => {
  await gateway?.stop();
});

interface SseResult {
  status: number;
  text: string;
  /** Resolves with the whole body once the server ends the stream. */
  done: Promise<string>;
}

/** Starts a streamed request and resolves once its first content chunk has arrived. */
async function openStream(url: string, route: '/v1/chat/completions' | '/v1/messages', body: Record<string, unknown>, requestId: string): Promise<SseResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': requestId };
  if (route === '/v1/messages') Object.assign(headers, { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' });
  else headers.authorization = `Bearer ${KEY}`;
  const response = await fetch(`${url}${route}`, { method: 'POST', headers, body: JSON.stringify({ ...body, stream: true }) });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const result: SseResult = { status: response.status, text: '', done: Promise.resolve('') };
  let firstChunk: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (firstChunk = resolve));
  result.done = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      result.text += decoder.decode(value, { stream: true });
      if (/"text":"word|"content":"word/.test(result.text)) firstChunk();
    }
    firstChunk();
    return result.text;
  })();
  await started;
  return result;
}

describe('graceful drain on SIGTERM', () => {
  it('goes unready, refuses new connections after the grace, finishes what it can, ends open streams with an error event, flushes and exits 0', async () => {
    const running = await startSwitchyard(['serve', '--config', path], environment);
    gateway = running;
    const { port } = new URL(running.url);
    const client = new OpenAI({ baseURL: `${running.url}/v1`, apiKey: KEY, maxRetries: 0, timeout: 30_000 });

    // In flight before the signal: a short stream (2 s), two long ones (30 s), a non-stream (2.5 s).
    const short = await openStream(running.url, '/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: words(40) }], max_tokens: 20 }, 'drain-short');
    const longOpenAI = await openStream(running.url, '/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: words(400) }], max_tokens: 300 }, 'drain-long-openai');
    const longAnthropic = await openStream(running.url, '/v1/messages', { model: 'chat', messages: [{ role: 'user', content: words(400) }], max_tokens: 300 }, 'drain-long-anthropic');
    const nonStream = client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: words(40) }], max_tokens: 25 }, { headers: { 'x-request-id': 'drain-nonstream' } });
    expect([short.status, longOpenAI.status, longAnthropic.status]).toEqual([200, 200, 200]);
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);

    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      running.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    running.child.kill('SIGTERM');
    await waitFor('the drain to start', () => logLines(running).some((line) => line.msg?.startsWith('draining: readiness')), 10_000);

    // During the grace: not ready, still alive, and still serving new connections.
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain('draining');
    expect((await fetch(`${running.url}/healthz`)).status).toBe(200);
    const duringGrace = await fetch(`${running.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'x-request-id': 'drain-during-grace' },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'still here' }], max_tokens: 2 }),
    });
    expect(duringGrace.status).toBe(200);
    // Kept-alive clients are told to reconnect (and so reach a replica that stays).
    expect(duringGrace.headers.get('connection')).toBe('close');
    expect(((await duringGrace.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('still here');

    // After the grace: new connections are refused while the streams are still running.
    await waitFor('the listener to close', () => logLines(running).some((line) => line.msg?.startsWith('draining: no longer accepting')), 15_000);
    expect(await canConnect('127.0.0.1', Number(port), 2_000)).toBe(false);

    // What could finish before the deadline finished normally.
    const completion = await nonStream;
    expect(completion.choices[0]!.message.content).toBe(words(25));
    const shortText = await short.done;
    expect(shortText).toContain('data: [DONE]');
    expect(shortText).not.toContain('"error"');

    // What could not got an explicit error event in its own wire format, and no clean end.
    const openaiText = await longOpenAI.done;
    expect(openaiText).not.toContain('[DONE]');
    const lastOpenAI = openaiText.trim().split('\n\n').at(-1)!;
    expect(JSON.parse(lastOpenAI.replace(/^data: /, ''))).toMatchObject({ error: { code: 'server_shutting_down', type: 'api_error' } });
    const anthropicText = await longAnthropic.done;
    expect(anthropicText).not.toContain('message_stop');
    expect(anthropicText.trim().split('\n\n').at(-1)).toMatch(/^event: error\ndata: .*"type":"error"/);
    expect(anthropicText).toContain('shutting down');
    // Both were cut at the deadline, not at the signal: they had delivered many chunks by then.
    expect((openaiText.match(/"content":"/g) ?? []).length).toBeGreaterThan(20);

    const { code, signal } = await exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(logLines(running).some((line) => line.msg?.startsWith('drain deadline reached'))).toBe(true);

    // The ledger has every request, with the cut streams as incomplete, and it verifies.
    const exported = await runSwitchyard(['audit', 'export', '--format', 'jsonl', '--storage', storageUrl]);
    expect(exported.code, exported.stderr).toBe(0);
    const records = exported.stdout
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { requestId: string; status: string; errorCode?: string; costUsd?: number });
    const byId = new Map(records.map((record) => [record.requestId, record]));
    expect(records.filter((record) => record.requestId.startsWith('drain-'))).toHaveLength(5);
    for (const id of ['drain-short', 'drain-nonstream', 'drain-during-grace']) expect(byId.get(id)).toMatchObject({ status: 'ok' });
    for (const id of ['drain-long-openai', 'drain-long-anthropic']) {
      expect(byId.get(id)).toMatchObject({ status: 'incomplete', errorCode: 'server_shutting_down' });
      // Spend was settled for what was delivered before the cut.
      expect(byId.get(id)!.costUsd).toBeGreaterThan(0);
    }
    const verify = await runSwitchyard(['audit', 'verify', '--storage', storageUrl], { SWITCHYARD_AUDIT_SECRET: '' });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`audit chain intact: ${records.length} records verified`);

    // Nothing left reserved: every request's spend was settled before exit.
    const spend = await runSwitchyard(['spend', '--json', '--storage', storageUrl, '--by', 'key', '--period', thisMonth()]);
    expect(spend.code, spend.stderr).toBe(0);
    const total = records.reduce((sum, record) => sum + (record.costUsd ?? 0), 0);
    const report = JSON.parse(spend.stdout) as { rows: Array<{ group: string | null; requests: number; costUsd: number }> };
    const drainer = report.rows.find((row) => row.group === 'drainer');
    expect(drainer?.requests).toBe(5);
    expect(drainer?.costUsd).toBeCloseTo(total, 9);
  }, 60_000);
});
