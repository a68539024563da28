import { dirname } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSwitchyard, writeTempConfig, type RunningProcess } from './process-harness.js';
import { auditRecord, logLines, mockRequestsContaining, requestLogLine, unique, waitFor, type LogLine } from './traffic-helpers.js';

/**
 * Failover, retries, timeouts, retry budget and circuit breaker, end to end: one gateway
 * (`switchyard serve`) in front of two standalone mock upstreams (`--name primary` and
 * `--name secondary`), driven by the official openai SDK with its own retries off, so every
 * retry seen here is the gateway's. Faults are injected per request with
 * `[[mock:fault=…@primary]]` markers, so only the primary misbehaves.
 *
 * Each scenario has its own pair of deployments (p-<scenario> on the primary mock,
 * s-<scenario> on the secondary): breakers and retry budgets are per deployment, so one
 * scenario's failures never open another's circuit.
 */

const KEY = 'sy-e2e-resilience-key-0123456789';

let primary: RunningProcess;
let secondary: RunningProcess;
let gateway: RunningProcess;
let configPath: string;
let openai: OpenAI;

const QUIET_BREAKER = 'circuit_breaker: { consecutive_failures: 1000, minimum_requests: 1000 }';

function deployment(id: string, url: string, extra = ''): string {
  return `  - { id: ${id}, tier: api, provider: openai-compatible, base_url: "${url}/v1"${extra ? `, ${extra}` : ''} }\n`;
}

function config(primaryUrl: string, secondaryUrl: string): string {
  const pair = (name: string, primaryExtra = '', secondaryExtra = '') =>
    deployment(`p-${name}`, primaryUrl, primaryExtra) + deployment(`s-${name}`, secondaryUrl, secondaryExtra);
  const alias = (name: string) =>
    `  - { alias: ${name}, strategy: priority, targets: [{ deployment: p-${name}, model: m, priority: 0 }, { deployment: s-${name}, model: m, priority: 1 }] }\n`;
  return `
server: { host: 127.0.0.1, port: 0 }
auth:
  keys:
    - { id: tester, key: "\${env:E2E_RESILIENCE_KEY}" }
routing:
  retry: { max_attempts: 3, base_backoff_ms: 10, max_backoff_ms: 40, max_retry_after_ms: 5000 }
deployments:
${pair('storm', `resilience: { ${QUIET_BREAKER} }`)}${deployment('p-retry', primaryUrl)}${pair('throttled')}${pair('slow', 'timeouts: { first_byte_ms: 300 }')}${pair('cut')}${deployment('p-cutlate', primaryUrl)}${pair('down')}${pair(
    'budget',
    `resilience: { ${QUIET_BREAKER}, retry_budget: { ratio: 0, min_retries: 1, window_ms: 60000 } }`,
  )}${pair('breaker', 'resilience: { circuit_breaker: { consecutive_failures: 2, cooldown_ms: 1200 } }')}
models:
${alias('storm')}  - { alias: retry, targets: [{ deployment: p-retry, model: m }] }
${alias('throttled')}${alias('slow')}${alias('cut')}  - { alias: cutlate, targets: [{ deployment: p-cutlate, model: m }] }
${alias('down')}${alias('budget')}${alias('breaker')}`;
}

beforeAll(async () => {
  [primary, secondary] = await Promise.all([
    startSwitchyard(['mock-upstream', '--port', '0', '--name', 'primary', '--request-log-size', '2000']),
    startSwitchyard(['mock-upstream', '--port', '0', '--name', 'secondary', '--request-log-size', '2000']),
  ]);
  configPath = writeTempConfig(config(primary.url, secondary.url));
  gateway = await startSwitchyard(['serve', '--config', configPath], { E2E_RESILIENCE_KEY: KEY });
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
});

afterAll(async () => {
  await Promise.all([gateway?.stop(), primary?.stop(), secondary?.stop()]);
});

async function chat(model: string, content: string, requestId = unique('req')) {
  const { data, response } = await openai.chat.completions
    .create({ model, messages: [{ role: 'user', content }] }, { headers: { 'x-request-id': requestId } })
    .withResponse();
  return {
    text: data.choices[0]?.message.content,
    deployment: response.headers.get('x-switchyard-deployment'),
    attempts: response.headers.get('x-switchyard-attempts'),
    requestId,
  };
}

async function streamChat(model: string, content: string, requestId = unique('req')) {
  const { data: stream, response } = await openai.chat.completions
    .create({ model, messages: [{ role: 'user', content }], stream: true }, { headers: { 'x-request-id': requestId } })
    .withResponse();
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  return { text, deployment: response.headers.get('x-switchyard-deployment'), requestId };
}

async function apiError(promise: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OpenAI.APIError);
  return error as InstanceType<typeof OpenAI.APIError>;
}

interface Attempt {
  deployment: string;
  status?: number;
  code: string;
  reason: string;
}

describe('failover', () => {
  it('a 500 storm on the primary is served by the secondary, one failed attempt each', async () => {
    const texts = Array.from({ length: 6 }, (_, index) => `${unique(`storm-${index}`)} [[mock:fault=error:500@primary]]`);
    const results = await Promise.all(texts.map((text) => chat('storm', text)));
    for (const [index, result] of results.entries()) {
      expect(result.deployment).toBe('s-storm');
      // The client sees the failover too (the load tester relies on it), the same count as the request log.
      expect(result.attempts).toBe('2');
      expect(result.text).toBe(texts[index]);
      // Exactly one call each: the primary's 500 is not retried on the primary (the secondary answered first).
      expect(await mockRequestsContaining(primary, texts[index]!)).toHaveLength(1);
      expect(await mockRequestsContaining(secondary, texts[index]!)).toHaveLength(1);
      expect(await requestLogLine(gateway, result.requestId)).toMatchObject({ status: 200, deployment: 's-storm', attempts: 2 });
    }
  });

  it('a 429 with Retry-After is retried after the time asked for, then succeeds', async () => {
    // The only target answers 429 once with retry-after: 1 (retry-after-ms: 1000), then normally.
    const text = `${unique('retry-after')} [[mock:fault=rate_limit:1*1]]`;
    const started = performance.now();
    const result = await chat('retry', text);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ deployment: 'p-retry', text });
    const calls = await mockRequestsContaining(primary, text);
    expect(calls).toHaveLength(2);
    const gap = Date.parse(calls[1]!.time) - Date.parse(calls[0]!.time);
    // Honoured: not the 10–40 ms configured backoff, but the upstream's second (and not much more).
    expect(gap).toBeGreaterThanOrEqual(990);
    expect(gap).toBeLessThan(1_500);
    expect(elapsed).toBeGreaterThanOrEqual(990);
    expect(elapsed).toBeLessThan(2_000);
    expect(await requestLogLine(gateway, result.requestId)).toMatchObject({ status: 200, attempts: 2 });
  });

  it('a 429 on the primary fails over to the secondary at once, without waiting out its Retry-After', async () => {
    const text = `${unique('throttled')} [[mock:fault=rate_limit:30@primary]]`;
    const started = performance.now();
    const result = await chat('throttled', text);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ deployment: 's-throttled', text });
    expect(await mockRequestsContaining(primary, text)).toHaveLength(1);
    expect(await requestLogLine(gateway, result.requestId)).toMatchObject({ status: 200, attempts: 2 });
  });

  it('a slow first byte times out after first_byte_ms and the stream fails over', async () => {
    const text = `${unique('slow-ttft')} [[mock:fault=slow_ttft:5000@primary]]`;
    const started = performance.now();
    const result = await streamChat('slow', text);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ deployment: 's-slow', text });
    // Waited the configured 300 ms for the primary, not its 5 s.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_000);
    expect(await mockRequestsContaining(primary, text)).toHaveLength(1);
    const line = await requestLogLine(gateway, result.requestId);
    expect(line).toMatchObject({ status: 200, deployment: 's-slow', attempts: 2, stream_completed: true });
  });

  it('a slow first byte on a plain (non-stream) call times out too, and fails over', async () => {
    const text = `${unique('slow-ttft-unary')} [[mock:fault=slow_ttft:5000@primary]]`;
    const started = performance.now();
    const result = await chat('slow', text);
    const elapsed = performance.now() - started;
    expect(result).toMatchObject({ deployment: 's-slow', text });
    // first_byte_ms bounds the wait for response headers; undici checks its header timer on a
    // coarse (≈1 s) tick, so allow for that, but nowhere near the primary's 5 s.
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(2_500);
    expect(await requestLogLine(gateway, result.requestId)).toMatchObject({ status: 200, deployment: 's-slow', attempts: 2 });
  });

  it('a stream cut before its first byte fails over transparently', async () => {
    const text = `${unique('cut-early')} [[mock:fault=stream_cut:0@primary]]`;
    const result = await streamChat('cut', text);
    // The client sees one clean, complete stream from the secondary.
    expect(result).toMatchObject({ deployment: 's-cut', text });
    expect(await mockRequestsContaining(primary, text)).toHaveLength(1);
    expect(await requestLogLine(gateway, result.requestId)).toMatchObject({ status: 200, attempts: 2, stream_completed: true });
  });

  it('a stream cut after its first byte is logged and audited as incomplete', async () => {
    // (That the SDK raises is asserted in gateway-sdk.test.ts; here: what the gateway records.)
    const requestId = unique('cut-late');
    const text = `${requestId} a long enough answer to be cut in the middle [[mock:fault=stream_cut:2]]`;
    await expect(streamChat('cutlate', text, requestId)).rejects.toThrow();
    const line = await requestLogLine(gateway, requestId);
    expect(line).toMatchObject({ status: 200, deployment: 'p-cutlate', stream_completed: false, stream_error: 'upstream_stream_interrupted' });

    const found = await auditRecord(`${dirname(configPath)}/switchyard.db`, requestId);
    expect(found).toMatchObject({ status: 'incomplete', deployment: 'p-cutlate', stream: true });
  });

  it('all targets down → 503 upstream_unavailable listing every attempt', async () => {
    const text = `${unique('all-down')} [[mock:fault=error:503]]`;
    const requestId = unique('all-down-req');
    const error = await apiError(openai.chat.completions.create({ model: 'down', messages: [{ role: 'user', content: text }] }, { headers: { 'x-request-id': requestId } }));
    expect(error.status).toBe(503);
    expect(error.code).toBe('upstream_unavailable');
    const attempts = (error.error as { attempts: Attempt[] }).attempts;
    // max_attempts 3: primary, secondary, then the primary again after its backoff.
    expect(attempts.map(({ deployment, status, code }) => ({ deployment, status, code }))).toEqual([
      { deployment: 'p-down', status: 503, code: 'upstream_error' },
      { deployment: 's-down', status: 503, code: 'upstream_error' },
      { deployment: 'p-down', status: 503, code: 'upstream_error' },
    ]);
    for (const attempt of attempts) expect(attempt.reason).toEqual(expect.any(String));
    expect(JSON.stringify(error.error)).not.toContain(primary.url);
    expect(await mockRequestsContaining(primary, text)).toHaveLength(2);
    expect(await mockRequestsContaining(secondary, text)).toHaveLength(1);
    // The audit record carries the same trail.
    const record = await auditRecord(`${dirname(configPath)}/switchyard.db`, requestId);
    expect(record).toMatchObject({ status: 'error', httpStatus: 503, errorCode: 'upstream_unavailable' });
    expect((record.attempts as Attempt[]).map(({ deployment, status }) => ({ deployment, status }))).toEqual([
      { deployment: 'p-down', status: 503 },
      { deployment: 's-down', status: 503 },
      { deployment: 'p-down', status: 503 },
    ]);
  });

  it('the request log line of an all-targets-down request counts its attempts', async () => {
    const requestId = unique('all-down-log');
    await apiError(
      openai.chat.completions.create({ model: 'down', messages: [{ role: 'user', content: `${requestId} [[mock:fault=error:503]]` }] }, { headers: { 'x-request-id': requestId } }),
    );
    expect(await requestLogLine(gateway, requestId)).toMatchObject({ status: 503, error: 'upstream_unavailable', attempts: 3 });
  });
});

describe('retry budget', () => {
  it('once exhausted, a failure fails fast with upstream_unavailable instead of retrying', async () => {
    // p-budget: ratio 0, min_retries 1 → one retry per minute is allowed, the second is refused.
    const first = `${unique('budget-1')} [[mock:fault=error:500@primary]]`;
    expect(await chat('budget', first)).toMatchObject({ deployment: 's-budget', text: first });

    const second = `${unique('budget-2')} [[mock:fault=error:500@primary]]`;
    const error = await apiError(openai.chat.completions.create({ model: 'budget', messages: [{ role: 'user', content: second }] }));
    expect(error.status).toBe(503);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain("the retry budget of deployment 'p-budget' is exhausted");
    expect((error.error as { attempts: Attempt[] }).attempts).toEqual([expect.objectContaining({ deployment: 'p-budget', status: 500 })]);
    // Failed fast: the secondary never saw the second request.
    expect(await mockRequestsContaining(primary, second)).toHaveLength(1);
    expect(await mockRequestsContaining(secondary, second)).toHaveLength(0);
  });
});

describe('circuit breaker', () => {
  const changes = (): Array<{ from: string; to: string; reason: string }> =>
    logLines(gateway)
      .filter((line: LogLine) => line.msg === 'circuit breaker state change' && (line.circuit as { deployment?: string })?.deployment === 'p-breaker')
      .map((line) => line.circuit as { from: string; to: string; reason: string });

  it('opens after consecutive failures, skips the deployment, half-opens after the cooldown and closes on a good probe', async () => {
    // Closed: two failures in a row (consecutive_failures: 2), each request still served by the secondary.
    for (const index of [1, 2]) {
      const text = `${unique(`breaker-fail-${index}`)} [[mock:fault=error:500@primary]]`;
      expect(await chat('breaker', text)).toMatchObject({ deployment: 's-breaker' });
      expect(await mockRequestsContaining(primary, text)).toHaveLength(1);
    }
    await waitFor('the circuit to open', () => changes().some((change) => change.to === 'open'), 2_000);
    expect(changes()[0]).toMatchObject({ from: 'closed', to: 'open', reason: '2 consecutive failures' });

    // Open: a healthy request is not even sent to the primary.
    const skipped = unique('breaker-skipped');
    expect(await chat('breaker', skipped)).toMatchObject({ deployment: 's-breaker', text: skipped });
    expect(await mockRequestsContaining(primary, skipped)).toHaveLength(0);
    expect(await mockRequestsContaining(secondary, skipped)).toHaveLength(1);

    // Half-open after cooldown_ms (1.2 s), announced by the breaker's own timer.
    await waitFor('the circuit to half-open', () => changes().some((change) => change.to === 'half_open'), 3_000);
    expect(changes()[1]).toMatchObject({ from: 'open', to: 'half_open', reason: 'cooldown elapsed' });

    // The probe goes to the primary, succeeds, and closes the circuit.
    const probe = unique('breaker-probe');
    expect(await chat('breaker', probe)).toMatchObject({ deployment: 'p-breaker', text: probe });
    expect(await mockRequestsContaining(primary, probe)).toHaveLength(1);
    await waitFor('the circuit to close', () => changes().some((change) => change.to === 'closed'), 2_000);
    expect(changes()[2]).toMatchObject({ from: 'half_open', to: 'closed' });

    // Closed again: traffic is back on the primary.
    const after = unique('breaker-after');
    expect(await chat('breaker', after)).toMatchObject({ deployment: 'p-breaker' });
  });
});
