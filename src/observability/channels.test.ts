import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../assembly/load-config.js';
import { buildApp, type GatewayApp } from '../http/app.js';
import { createGatewayRuntime } from '../pipeline/gateway-runtime.js';
import { createSharedServices, type SharedServices } from '../pipeline/shared-services.js';
import { createCircuitBreakerRegistry } from '../routing/circuit-breaker.js';
import { createManualClock } from '../routing/clock.js';
import { createHealthChecker } from '../routing/health-checker.js';
import { circuitBreakerSchema, healthCheckSchema } from '../routing/routing-config-schema.js';
import { ATTEMPT, AUTH_FAILURE, BUDGET, CIRCUIT, HEALTH, POLICY, REQUEST_FINISH, REQUEST_START, subscribe, type ChannelEvents, type ChannelName } from './channels.js';
import { createLogger } from './logger.js';
import { createMetrics } from './metrics.js';

/** What observers rely on: every event arrives with its documented fields, and metrics follow the finish event. */

const config = `
storage: { url: "sqlite::memory:" }
auth: { keys: [{ id: k, key: "\${env:CHANNEL_KEY}", department: finance }] }
deployments:
  - { id: local, tier: on-prem, provider: mock }
models:
  - { alias: chat, targets: [{ deployment: local, model: m1 }] }
metering:
  prices:
    - { deployment: local, input_per_million: 1000000, output_per_million: 1000000 }
  budgets:
    - { id: finance-day, scope: { department: finance }, period: day, limit_usd: 1000000000, soft_thresholds: [0.000000001] }
`;

const seen = new Map<ChannelName, unknown[]>();
const stops: Array<() => void> = [];
let services: SharedServices;
let gateway: GatewayApp;
const metrics = createMetrics({ models: [{ alias: 'chat', targets: [{ deployment: 'local' }] }], deployments: [{ id: 'local', tier: 'on-prem' }], defaultMetrics: false });

function events<N extends ChannelName>(name: N): Array<ChannelEvents[N]> {
  return (seen.get(name) ?? []) as Array<ChannelEvents[N]>;
}

beforeAll(async () => {
  for (const name of [REQUEST_START, REQUEST_FINISH, ATTEMPT, POLICY, CIRCUIT, HEALTH, BUDGET, AUTH_FAILURE] as const) {
    seen.set(name, []);
    stops.push(subscribe(name, (event) => seen.get(name)?.push(event)));
  }
  const loaded = parseConfigText(config, 'channels-test.yaml', { CHANNEL_KEY: 'channel-key' });
  services = await createSharedServices(loaded);
  gateway = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent'), metrics });
});

afterAll(async () => {
  for (const stop of stops) stop();
  await gateway.app.close();
  await services.close();
});

describe('observability channels', () => {
  it('a served call publishes start, policy, attempt and finish with the documented fields; metrics follow the finish', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: 'Bearer channel-key', 'content-type': 'application/json', 'x-request-id': 'channels-1' },
      payload: { model: 'chat', max_tokens: 20, messages: [{ role: 'user', content: 'hello there' }] },
    });
    expect(response.statusCode).toBe(200);
    const source = services;
    expect(events(REQUEST_START).find((event) => event.requestId === 'channels-1')).toEqual({ source, requestId: 'channels-1', operation: 'chat', model: 'chat', maxTokens: 20 });
    const policy = events(POLICY).find((event) => event.requestId === 'channels-1');
    expect(policy).toMatchObject({ source, requestId: 'channels-1' });
    expect(policy!.endedAt).toBeGreaterThanOrEqual(policy!.startedAt);
    expect(events(ATTEMPT).find((event) => event.requestId === 'channels-1')).toMatchObject({
      source,
      operation: 'chat',
      deployment: 'local',
      tier: 'on-prem',
      provider: 'mock',
      model: 'm1',
      attemptNumber: 1,
      outcome: 'success',
    });
    const finish = events(REQUEST_FINISH).find((event) => event.summary.requestId === 'channels-1');
    expect(finish?.source).toBe(source);
    const summary = finish!.summary;
    expect(summary).toMatchObject({
      inbound: 'openai-chat',
      method: 'POST',
      route: '/v1/chat/completions',
      status: 200,
      principalId: 'k',
      department: 'finance',
      alias: 'chat',
      deployment: 'local',
      tier: 'on-prem',
      streamed: false,
      failedAttempts: [],
      policy: { action: 'allow', dataClass: expect.any(String), rule: expect.any(String), entities: {}, maskedTypes: [] },
    });
    expect(summary.durationMs).toBeGreaterThan(0);
    expect(summary.usage?.outputTokens).toBeGreaterThan(0);
    expect(summary.costUsd).toBeGreaterThan(0);
    expect(summary.errorCode).toBeUndefined();
    // The content never travels with an event.
    expect(JSON.stringify(finish)).not.toContain('hello there');

    const requests = (await metrics.registry.getSingleMetric('switchyard_requests_total')!.get()).values;
    expect(requests.find((sample) => sample.labels.alias === 'chat' && sample.labels.deployment === 'local' && sample.labels.status_class === '2xx')?.value).toBe(1);
    const tokens = (await metrics.registry.getSingleMetric('switchyard_tokens_total')!.get()).values;
    expect(tokens.find((sample) => sample.labels.direction === 'output' && sample.labels.alias === 'chat')?.value).toBe(summary.usage?.outputTokens);
  });

  it('a budget crossing its soft threshold is published on switchyard:budget', () => {
    expect(events(BUDGET)[0]).toMatchObject({ type: 'budget-threshold', budgetId: 'finance-day', threshold: 0.000000001, limitUsd: 1000000000 });
    expect(events(BUDGET)[0]?.spentUsd).toBeGreaterThan(0);
    expect(events(BUDGET)[0]?.periodKey).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('a refused call is published once, with its error code, and an authentication failure without the credential', async () => {
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/v1/messages',
      headers: { 'x-api-key': 'sk-wrong-credential', 'content-type': 'application/json', 'x-request-id': 'channels-2' },
      payload: { model: 'chat', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] },
    });
    expect(response.statusCode).toBe(401);
    const finishes = events(REQUEST_FINISH).filter((event) => event.summary.requestId === 'channels-2');
    expect(finishes).toHaveLength(1);
    expect(finishes[0]?.summary).toMatchObject({ inbound: 'anthropic-messages', status: 401, errorCode: 'invalid_api_key', failedAttempts: [] });
    const failure = events(AUTH_FAILURE).at(-1);
    expect(failure).toMatchObject({ code: 'invalid_api_key', method: 'api_key' });
    expect('clientAddress' in failure!).toBe(true);
    expect(JSON.stringify(events(AUTH_FAILURE))).not.toContain('sk-wrong-credential');
  });

  it('circuit and health changes are published with deployment, states, reason and time', async () => {
    const clock = createManualClock(5);
    const breakers = createCircuitBreakerRegistry({ clock, configFor: () => circuitBreakerSchema.parse({ consecutive_failures: 1 }) });
    breakers.get('flaky').tryAcquire()?.failure();
    expect(events(CIRCUIT).at(-1)).toEqual({ deployment: 'flaky', from: 'closed', to: 'open', reason: expect.any(String), at: 5 });
    breakers.dispose();

    const checker = createHealthChecker({
      deployments: [{ id: 'probed', health: healthCheckSchema.parse({ enabled: true, unhealthy_after: 1 }) }],
      probe: async () => {
        throw new Error('connection refused');
      },
      clock,
    });
    await checker.checkNow();
    checker.stop();
    expect(events(HEALTH).at(-1)).toMatchObject({ deployment: 'probed', healthy: false, reason: expect.stringContaining('connection refused'), at: 5 });
  });
});
