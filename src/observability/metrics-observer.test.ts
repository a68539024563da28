import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AllTargetsFailedError, AuthenticationError, GatewayError } from '../errors/gateway-error.js';
import type { RequestContext } from '../pipeline/request-context.js';
import { summarizeRequest } from '../pipeline/summarize-request.js';
import type { PolicyDecision } from '../policy/policy-decision.js';
import { createInFlightTracker, createMetricsObserver } from './metrics-observer.js';
import { createMetrics, type GatewayMetrics } from './metrics.js';

const SCOPE = {
  models: [{ alias: 'chat', targets: [{ deployment: 'primary' }, { deployment: 'secondary' }] }],
  deployments: [
    { id: 'primary', tier: 'on-prem' },
    { id: 'secondary', tier: 'api' },
  ],
  departments: ['finance'],
  dataClasses: ['public', 'confidential'],
  policyRules: ['no-pii-to-api'],
  entityTypes: ['TW_NATIONAL_ID', 'EMAIL'],
};

function setup(nowMs = 100) {
  const metrics = createMetrics({ ...SCOPE, defaultMetrics: false });
  const observer = createMetricsObserver(metrics);
  // The observer reads what the pipeline publishes: the context's summary at `nowMs`.
  const observe = (context: RequestContext | undefined, status: number, route: string | undefined) =>
    observer(context ? summarizeRequest(context, status, nowMs) : undefined, status, route);
  return { metrics, observe, observer };
}

function context(fields: Partial<RequestContext> = {}): RequestContext {
  return {
    requestId: 'req_1',
    inbound: 'openai-chat',
    headers: {},
    signal: new AbortController().signal,
    startedAt: 0,
    receivedAt: new Date(0),
    failedAttempts: [],
    afterResponse: () => undefined,
    ...fields,
  };
}

/** The first sample of `name` (a counter or gauge) whose labels include `labels`. */
async function value(metrics: GatewayMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values.find((sample) => Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))?.value;
}

async function histogramCount(metrics: GatewayMetrics, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const { values } = await metrics.registry.getSingleMetric(name)!.get();
  return values.find((sample) => (sample as { metricName?: string }).metricName === `${name}_count` && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))?.value;
}

async function bucket(metrics: GatewayMetrics, name: string, labels: Record<string, string>, le: number): Promise<number | undefined> {
  const { values } = await metrics.registry.getSingleMetric(name)!.get();
  return values.find((sample) => (sample as { metricName?: string }).metricName === `${name}_bucket` && sample.labels.le === le && Object.entries(labels).every(([key, wanted]) => sample.labels[key] === wanted))?.value;
}

describe('createMetricsObserver', () => {
  it('counts a served request by alias, deployment, tier and status class, and its tokens by department', async () => {
    const { metrics, observe } = setup();
    observe(
      context({ alias: 'chat', deployment: 'primary', tier: 'on-prem', upstreamMs: 40, usage: { inputTokens: 12, outputTokens: 30 }, principal: { id: 'k', kind: 'key', roles: [], tags: {}, department: 'finance' } }),
      200,
      '/v1/chat/completions',
    );
    expect(await value(metrics, 'switchyard_requests_total', { alias: 'chat', deployment: 'primary', tier: 'on-prem', status_class: '2xx' })).toBe(1);
    expect(await value(metrics, 'switchyard_tokens_total', { direction: 'input', alias: 'chat', department: 'finance' })).toBe(12);
    expect(await value(metrics, 'switchyard_tokens_total', { direction: 'output', alias: 'chat', department: 'finance' })).toBe(30);
  });

  it('maps aliases, deployments and departments outside the configuration to "other" and missing ones to "none"', async () => {
    const { metrics, observe } = setup();
    observe(context({ alias: 'client-invented', deployment: 'primary', tier: 'on-prem', usage: { inputTokens: 1, outputTokens: 0 }, principal: { id: 'k', kind: 'key', roles: [], tags: {}, department: 'made-up' } }), 200, '/v1/chat/completions');
    observe(context({ usage: { inputTokens: 1, outputTokens: 0 } }), 200, '/v1/chat/completions');
    expect(await value(metrics, 'switchyard_tokens_total', { direction: 'input', alias: 'other', department: 'other' })).toBe(1);
    expect(await value(metrics, 'switchyard_tokens_total', { direction: 'input', alias: 'none', deployment: 'none', department: 'none' })).toBe(1);
    expect(await value(metrics, 'switchyard_tokens_total', { alias: 'client-invented' })).toBeUndefined();
  });

  it('records gateway overhead as total minus upstream time for unary requests (sub-millisecond buckets)', async () => {
    const { metrics, observe } = setup(40.25);
    observe(context({ alias: 'chat', deployment: 'primary', tier: 'on-prem', upstreamMs: 40 }), 200, '/v1/chat/completions');
    // 0.25 ms added: inside the 0.3 ms bucket, outside the 0.2 ms one.
    expect(await bucket(metrics, 'switchyard_gateway_overhead_seconds', { mode: 'unary' }, 0.0003)).toBe(1);
    expect(await bucket(metrics, 'switchyard_gateway_overhead_seconds', { mode: 'unary' }, 0.0002)).toBe(0);
    expect(await histogramCount(metrics, 'switchyard_upstream_duration_seconds', { deployment: 'primary', mode: 'unary' })).toBe(1);
  });

  it('for streams, measures overhead to the first token and tokens per second after it', async () => {
    const { metrics, observe } = setup(2_010);
    observe(
      context({ alias: 'chat', deployment: 'primary', tier: 'on-prem', upstreamMs: 9.5, ttftMs: 10, stream: { completed: true }, usage: { inputTokens: 3, outputTokens: 100 } }),
      200,
      '/v1/chat/completions',
    );
    expect(await bucket(metrics, 'switchyard_gateway_overhead_seconds', { mode: 'stream' }, 0.0005)).toBe(1);
    expect(await bucket(metrics, 'switchyard_gateway_overhead_seconds', { mode: 'stream' }, 0.0003)).toBe(0);
    expect(await histogramCount(metrics, 'switchyard_time_to_first_token_seconds', { alias: 'chat' })).toBe(1);
    // 100 tokens over the 2 s after the first token = 50 tokens/s.
    expect(await bucket(metrics, 'switchyard_output_tokens_per_second', { alias: 'chat' }, 50)).toBe(1);
    expect(await bucket(metrics, 'switchyard_output_tokens_per_second', { alias: 'chat' }, 30)).toBe(0);
    expect(await histogramCount(metrics, 'switchyard_request_duration_seconds', { alias: 'chat', mode: 'stream' })).toBe(1);
  });

  it('counts a failover: the failed attempts by code, one retry, one failover', async () => {
    const { metrics, observe } = setup();
    observe(
      context({
        alias: 'chat',
        deployment: 'secondary',
        tier: 'api',
        upstreamMs: 5,
        failedAttempts: [{ deployment: 'primary', status: 504, code: 'upstream_timeout', reason: 'timeout' }],
      }),
      200,
      '/v1/chat/completions',
    );
    expect(await value(metrics, 'switchyard_upstream_failures_total', { deployment: 'primary', code: 'upstream_timeout' })).toBe(1);
    expect(await value(metrics, 'switchyard_upstream_timeouts_total', { deployment: 'primary' })).toBe(1);
    expect(await value(metrics, 'switchyard_retries_total', { alias: 'chat' })).toBe(1);
    expect(await value(metrics, 'switchyard_failovers_total', { alias: 'chat' })).toBe(1);
  });

  it('when every target failed, reads the attempts from the error and counts the error code', async () => {
    const { metrics, observe } = setup();
    const attempts = [
      { deployment: 'primary', status: 500, code: 'upstream_error' as const, reason: '500' },
      { deployment: 'secondary', status: 500, code: 'upstream_error' as const, reason: '500' },
    ];
    const error = new AllTargetsFailedError('chat', attempts, undefined);
    observe(context({ alias: 'chat', error }), 503, '/v1/chat/completions');
    expect(await value(metrics, 'switchyard_errors_total', { alias: 'chat', code: 'upstream_unavailable' })).toBe(1);
    expect(await value(metrics, 'switchyard_upstream_failures_total', { deployment: 'secondary', code: 'upstream_error' })).toBe(1);
    expect(await value(metrics, 'switchyard_retries_total', { alias: 'chat' })).toBe(1);
    expect(await value(metrics, 'switchyard_failovers_total', { alias: 'chat' })).toBe(0);
    expect(await value(metrics, 'switchyard_requests_total', { alias: 'chat', deployment: 'none', status_class: '5xx' })).toBe(1);
  });

  it('counts authentication failures and stream errors by code', async () => {
    const { metrics, observe } = setup();
    observe(context({ error: new AuthenticationError('invalid_api_key', 'no') }), 401, '/v1/chat/completions');
    observe(
      context({ alias: 'chat', deployment: 'primary', tier: 'on-prem', stream: { completed: false, error: new GatewayError('upstream_stream_interrupted', 'cut') } }),
      200,
      '/v1/chat/completions',
    );
    expect(await value(metrics, 'switchyard_auth_failures_total', { code: 'invalid_api_key' })).toBe(1);
    expect(await value(metrics, 'switchyard_errors_total', { alias: 'none', code: 'invalid_api_key' })).toBe(1);
    expect(await value(metrics, 'switchyard_errors_total', { alias: 'chat', code: 'upstream_stream_interrupted' })).toBe(1);
  });

  it('reads the policy decision and cost the later stages attach to the context', async () => {
    const { metrics, observe } = setup();
    const policy: PolicyDecision = {
      action: 'allow',
      rule: 'mask-pii',
      reason: 'test',
      dataClass: 'confidential',
      classReasons: [],
      entities: { TW_NATIONAL_ID: 2, PHONE: 1 },
      scanFailed: false,
      allowedTiers: ['on-prem'],
      mask: { types: ['TW_NATIONAL_ID'], mode: 'reversible' },
      skipped: [],
      logged: [],
    };
    observe(context({ alias: 'chat', deployment: 'primary', tier: 'on-prem', policy, costUsd: 0.25 }), 200, '/v1/chat/completions');
    observe(context({ alias: 'chat', policy: { ...policy, action: 'deny', rule: 'no-pii-to-api' } }), 403, '/v1/chat/completions');
    expect(await value(metrics, 'switchyard_data_class_requests_total', { data_class: 'confidential' })).toBe(2);
    expect(await value(metrics, 'switchyard_entity_detections_total', { entity_type: 'TW_NATIONAL_ID' })).toBe(4);
    expect(await value(metrics, 'switchyard_entity_detections_total', { entity_type: 'other' })).toBe(2);
    expect(await value(metrics, 'switchyard_masked_requests_total', { alias: 'chat' })).toBe(1);
    expect(await value(metrics, 'switchyard_policy_denials_total', { rule: 'no-pii-to-api' })).toBe(1);
    expect(await value(metrics, 'switchyard_cost_usd_total', { alias: 'chat', deployment: 'primary', department: 'none' })).toBe(0.25);
  });

  it('counts API failures without a pipeline context, but not successful scrapes or feedback', async () => {
    const { metrics, observe } = setup();
    observe(undefined, 404, undefined);
    observe(undefined, 400, '/v1/chat/completions');
    observe(undefined, 200, '/metrics');
    observe(undefined, 200, '/v1/feedback');
    expect(await value(metrics, 'switchyard_requests_total', { alias: 'none', status_class: '4xx' })).toBe(2);
    expect(await value(metrics, 'switchyard_requests_total', { alias: 'none', status_class: '2xx' })).toBeUndefined();
  });

  it('starts configured series at zero so dashboards see zeros before traffic', async () => {
    const { metrics } = setup();
    const text = await metrics.registry.metrics();
    expect(text).toContain('switchyard_requests_total{alias="chat",deployment="secondary",tier="api",status_class="5xx"} 0');
    expect(text).toContain('switchyard_feedback_total{alias="chat",rating="down"} 0');
    expect(text).toContain('switchyard_circuit_state{deployment="primary"} 0');
    expect(text).toContain('switchyard_policy_denials_total{rule="no-pii-to-api"} 0');
  });
});

describe('GatewayMetrics hooks', () => {
  it('tracks circuit state and transitions, health and budgets, with unknown names as "other"', async () => {
    const { metrics } = setup();
    metrics.setCircuitState('primary', 'open');
    metrics.setUpstreamHealth('secondary', false);
    metrics.setBudgetUtilisation('not-configured', 0.5);
    expect(await value(metrics, 'switchyard_circuit_state', { deployment: 'primary' })).toBe(2);
    expect(await value(metrics, 'switchyard_circuit_transitions_total', { deployment: 'primary', to: 'open' })).toBe(1);
    expect(await value(metrics, 'switchyard_upstream_healthy', { deployment: 'secondary' })).toBe(0);
    expect(await value(metrics, 'switchyard_budget_utilisation_ratio', { budget: 'other' })).toBe(0.5);
  });

  it('reconfigure adds new aliases as label values', async () => {
    const { metrics, observe } = setup();
    metrics.reconfigure({ ...SCOPE, models: [...SCOPE.models, { alias: 'new-alias', targets: [{ deployment: 'primary' }] }] });
    observe(context({ alias: 'new-alias', deployment: 'primary', tier: 'on-prem' }), 200, '/v1/chat/completions');
    expect(await value(metrics, 'switchyard_requests_total', { alias: 'new-alias', status_class: '2xx' })).toBe(1);
  });
});

describe('createInFlightTracker', () => {
  it('counts a request from start until its response closes, aborted or not', async () => {
    const { metrics } = setup();
    const tracker = createInFlightTracker(metrics);
    const first = new EventEmitter() as unknown as ServerResponse;
    const second = new EventEmitter() as unknown as ServerResponse;
    tracker.track(first);
    tracker.track(second);
    expect(await value(metrics, 'switchyard_in_flight_requests', {})).toBe(2);
    first.emit('close');
    expect(await value(metrics, 'switchyard_in_flight_requests', {})).toBe(1);
    second.emit('close');
    expect(await value(metrics, 'switchyard_in_flight_requests', {})).toBe(0);
  });
});
