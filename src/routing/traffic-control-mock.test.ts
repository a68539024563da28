/**
 * Traffic control against the in-process mock provider's fault injection: the real adapter
 * errors (status, Retry-After, stream cuts, hangs) through plan() and dispatch().
 */
import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { StreamPart } from '../model/stream-part.js';
import { createInProcessMockAdapter } from '../providers/mock/index.js';
import type { ProviderAdapter } from '../providers/provider-adapter.js';
import { createManualClock } from './clock.js';
import { deploymentResilienceSchema, routingSchema } from './routing-config-schema.js';
import { createTrafficControl } from './traffic-control.js';

const resilience = deploymentResilienceSchema.parse({ retry_budget: { ratio: 0, min_retries: 2 } });
const alias = {
  alias: 'chat',
  targets: [
    { deployment: 'primary', model: 'mock-1', weight: 1, priority: 0 },
    { deployment: 'secondary', model: 'mock-1', weight: 1, priority: 1 },
  ],
};

function setup(faults: Partial<Record<'primary' | 'secondary', string>> = {}) {
  const clock = createManualClock(0);
  const adapters = new Map<string, ProviderAdapter>(
    (['primary', 'secondary'] as const).map((id) => [id, createInProcessMockAdapter({ deploymentId: id, ...(faults[id] ? { forcedFault: faults[id] } : {}) })]),
  );
  const control = createTrafficControl(
    {
      routing: routingSchema.parse({ default_strategy: 'priority', retry: { max_attempts: 3, max_retry_after_ms: 5_000 } }),
      deployments: ['primary', 'secondary'].map((id) => ({ id, resilience, timeouts: { first_byte_ms: 1_000, total_ms: 1_000 } })),
    },
    { clock, random: () => 0 },
  );
  const chat = (text: string, targets = alias.targets) => {
    const routed = { ...alias, targets };
    return control.dispatch(routed, control.plan(routed, {}), (target, attempt) => adapters.get(target.deployment)!.chat(request(text), { signal: attempt.signal }), undefined, { mode: 'unary' });
  };
  const stream = (text: string) =>
    control.dispatch(alias, control.plan(alias, {}), async (target, attempt) => openStream(await adapters.get(target.deployment)!.chatStream(request(text, true), { signal: attempt.signal })), undefined, { mode: 'stream' });
  return { clock, control, chat, stream };
}

const request = (text: string, stream = false): ChatRequest => ({ model: 'mock-1', messages: [{ role: 'user', content: [{ type: 'text', text }] }], stream });

/** As the pipeline does: pull the first part inside the attempt, so an early cut fails over. */
async function openStream(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const iterator = parts[Symbol.asyncIterator]();
  const first = await iterator.next();
  return first.done ? [] : [first.value];
}

describe('traffic control with the mock upstream', () => {
  it('500 storm on the primary → the secondary answers, the attempt is recorded', async () => {
    const { chat } = setup({ primary: 'error:500' });
    const outcome = await chat('hello');
    expect(outcome.target.deployment).toBe('secondary');
    expect(outcome.attempts).toMatchObject([{ deployment: 'primary', status: 500, code: 'upstream_error' }]);
  });

  it("429 with Retry-After: waits the upstream's 2 s before retrying the only deployment", async () => {
    const { chat, clock } = setup();
    const outcome = chat('hi [[mock:fault=rate_limit:2*1]]', alias.targets.slice(0, 1));
    await clock.advance(1_999);
    let settled = false;
    void outcome.finally(() => (settled = true));
    await clock.advance(0);
    expect(settled).toBe(false);
    await clock.advance(1);
    const result = await outcome;
    expect(result.target.deployment).toBe('primary');
    expect(result.attempts).toMatchObject([{ deployment: 'primary', status: 429, code: 'upstream_rate_limited' }]);
  });

  it('stream cut before the first byte → transparent failover', async () => {
    const { stream } = setup({ primary: 'stream_cut:0' });
    const outcome = await stream('hello');
    expect(outcome.target.deployment).toBe('secondary');
    expect(outcome.result[0]?.type).toBe('start');
    expect(outcome.attempts[0]?.code).toBe('upstream_stream_interrupted');
  });

  it('hanging primary → first-byte timeout, then failover', async () => {
    const { stream, clock } = setup({ primary: 'hang' });
    const outcome = stream('hello');
    await clock.advance(1_000);
    const result = await outcome;
    expect(result.target.deployment).toBe('secondary');
    expect(result.attempts[0]?.code).toBe('upstream_timeout');
  });

  it('all targets down → 503 with one attempt per call, status and reason', async () => {
    const { chat, clock } = setup({ primary: 'error:503', secondary: 'reset' });
    const failure = chat('hello').catch((caught: unknown) => caught);
    await clock.advance(1_000);
    const error = (await failure) as GatewayError;
    expect(error.status).toBe(503);
    expect(error.attempts?.map((attempt) => [attempt.deployment, attempt.status ?? attempt.code])).toEqual([
      ['primary', 503],
      ['secondary', 'upstream_unavailable'],
      ['primary', 503],
    ]);
  });

  it('retry budget exhausted → fails fast with upstream_unavailable after one call', async () => {
    const { chat } = setup({ primary: 'error:500', secondary: 'error:500' });
    // min_retries 2, ratio 0: each all-failed request charges one retry to each deployment.
    await chat('one').catch(() => undefined);
    await chat('two').catch(() => undefined);
    const error = (await chat('three').catch((caught: unknown) => caught)) as GatewayError;
    expect(error.attempts).toHaveLength(1);
    expect(error.code).toBe('upstream_unavailable');
    expect(error.message).toContain('retry budget');
  });
});
