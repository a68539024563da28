import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../assembly/load-config.js';
import { buildApp, type GatewayApp } from '../http/app.js';
import { createGatewayRuntime } from '../pipeline/gateway-runtime.js';
import { createSharedServices, type SharedServices } from '../pipeline/shared-services.js';
import { createLogger } from './logger.js';
import { metricsScopeFromConfig } from '../assembly/metrics-scope.js';
import { createMetrics, DEFAULT_METRICS_USED, METRICS } from './metrics.js';
import { exposes, promqlMetricNames } from '../../test/support/observability/promql-metric-names.js';

/**
 * The dashboards in deploy/grafana may only query metrics a running gateway exposes. The
 * gateway runs in-process (in-process mock provider, real listening socket), takes a mixed
 * workload — successes, a stream, a failover, an all-targets failure, a cut stream, bad key,
 * unknown model, broken JSON, embeddings, feedback — and then its /metrics is checked against
 * every name each dashboard queries and every metric docs/metrics.md documents.
 */

const DASHBOARD_DIR = resolve(import.meta.dirname, '../../deploy/grafana');
const KEY = 'grafana-test-key';
const CONFIG = `
storage: { url: "sqlite::memory:" }
metering:
  prices:
    - { deployment: primary, input_per_million: 1, output_per_million: 2 }
auth:
  keys:
    - { id: finance-app, key: "\${env:GRAFANA_TEST_KEY}", department: finance }
deployments:
  - { id: primary, tier: on-prem, provider: mock }
  - { id: secondary, tier: api, provider: mock }
  - { id: embedder, tier: on-prem, provider: mock }
models:
  - alias: chat
    targets:
      - { deployment: primary, model: m1, weight: 1 }
      - { deployment: secondary, model: m2, weight: 0 }
  - { alias: embed, type: embedding, targets: [{ deployment: embedder, model: e1 }] }
`;

interface Dashboard {
  uid: string;
  title: string;
  panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
  templating: { list: Array<{ query?: string | { query: string } }> };
}

const dashboards = readdirSync(DASHBOARD_DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({ file, content: JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard }));

function queriesOf(dashboard: Dashboard): string[] {
  const panelQueries = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
  const variableQueries = dashboard.templating.list
    .map((variable) => (typeof variable.query === 'object' ? variable.query.query : variable.query))
    .filter((query): query is string => query !== undefined && query.includes('('));
  return [...panelQueries, ...variableQueries];
}

let gateway: GatewayApp;
let services: SharedServices;
let exposition = '';

beforeAll(async () => {
  const loaded = parseConfigText(CONFIG, 'grafana-test.yaml', { GRAFANA_TEST_KEY: KEY });
  const { config } = loaded;
  const metrics = createMetrics(metricsScopeFromConfig(config));
  services = await createSharedServices(loaded);
  // The app wires the metrics route, the in-flight gauge, the observer and feedback itself.
  gateway = buildApp({ runtime: createGatewayRuntime(loaded, services), logger: createLogger('silent'), metrics });
  const url = await gateway.app.listen({ host: '127.0.0.1', port: 0 });

  const post = (path: string, body: unknown, key = KEY) =>
    fetch(`${url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }).then(async (response) => ({ status: response.status, text: await response.text(), id: response.headers.get('x-request-id') }));
  const chat = (content: string, extra: Record<string, unknown> = {}) => post('/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content }], ...extra });

  const results = await Promise.all([
    chat('hello 你好'),
    chat('second request'),
    chat('streamed answer please', { stream: true, stream_options: { include_usage: true } }),
    chat('failover [[mock:fault=error:503@primary]]'),
    chat('everything down [[mock:fault=error:500]]'),
    chat('cut [[mock:fault=stream_cut:2]] one two three four', { stream: true }),
    post('/v1/chat/completions', { model: 'chat', messages: [{ role: 'user', content: 'x' }] }, 'wrong-key'),
    post('/v1/chat/completions', { model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    post('/v1/chat/completions', '{"model": "chat", broken'),
    post('/v1/embeddings', { model: 'embed', input: 'vector me' }),
  ]);
  expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200, 503, 200, 401, 404, 400, 200]);
  expect((await post('/v1/feedback', { request_id: results[0]?.id, rating: 'down', reviewer_verdict: 'rejected' })).status).toBe(200);

  const scrape = await fetch(`${url}/metrics`);
  expect(scrape.headers.get('content-type')).toContain('text/plain');
  exposition = await scrape.text();
});

afterAll(async () => {
  await gateway?.app.close();
  await services?.close();
});

describe('Grafana dashboards', () => {
  it('there is one dashboard per operating view', () => {
    expect(dashboards.map(({ file }) => file).sort()).toEqual(
      ['availability', 'cost', 'performance', 'quality', 'risk'].map((view) => `switchyard-${view}.json`),
    );
    expect(new Set(dashboards.map(({ content }) => content.uid)).size).toBe(5);
  });

  it.each(dashboards.map(({ file, content }) => [file, content] as const))('%s queries only metrics the running gateway exposes', (_file, dashboard) => {
    const names = [...new Set(queriesOf(dashboard).flatMap(promqlMetricNames))];
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((name) => !exposes(exposition, name))).toEqual([]);
  });

  it('the check catches a misspelt metric and finds names behind functions, matchers and grouping', () => {
    expect(promqlMetricNames('histogram_quantile(0.99, sum by (le, mode) (rate(switchyard_gateway_overhead_seconds_bucket{alias=~"$alias"}[$__rate_interval])))')).toEqual([
      'switchyard_gateway_overhead_seconds_bucket',
    ]);
    expect(promqlMetricNames('sum(rate(a_total[5m])) / on(x) group_left sum(b_total offset 1h) > bool 1e-3')).toEqual(['a_total', 'b_total']);
    expect(promqlMetricNames('label_values(switchyard_requests_total, alias)')).toEqual(['switchyard_requests_total']);
    expect(exposes(exposition, 'switchyard_request_total')).toBe(false);
    expect(exposes(exposition, 'switchyard_gateway_overhead_seconds_bucket')).toBe(true);
  });
});

describe('/metrics after a mixed workload', () => {
  it('exposes every documented metric', () => {
    const documented = [...Object.values(METRICS), ...DEFAULT_METRICS_USED].map((metric) => metric.name);
    expect(documented.filter((name) => !exposes(exposition, name))).toEqual([]);
  });

  it('counted the workload where the dashboards look for it', () => {
    const sample = (line: string) => new RegExp(`^${line.replace(/[{}()[\]|.*+?^$\\]/g, '\\$&')} (\\d+(\\.\\d+)?(e[-+]?\\d+)?)$`, 'm').exec(exposition)?.[1];
    expect(Number(sample('switchyard_requests_total{alias="chat",deployment="primary",tier="on-prem",status_class="2xx"}'))).toBeGreaterThanOrEqual(4);
    expect(sample('switchyard_requests_total{alias="chat",deployment="secondary",tier="api",status_class="2xx"}')).toBe('1');
    expect(sample('switchyard_requests_total{alias="chat",deployment="none",tier="none",status_class="5xx"}')).toBe('1');
    // Bad key and broken JSON have no alias; the unknown model the client named becomes "other".
    expect(sample('switchyard_requests_total{alias="none",deployment="none",tier="none",status_class="4xx"}')).toBe('2');
    expect(sample('switchyard_requests_total{alias="other",deployment="none",tier="none",status_class="4xx"}')).toBe('1');
    expect(sample('switchyard_errors_total{alias="other",code="model_not_found"}')).toBe('1');
    expect(exposition).not.toContain('no-such-model');
    expect(sample('switchyard_failovers_total{alias="chat"}')).toBe('1');
    expect(sample('switchyard_errors_total{alias="chat",code="upstream_unavailable"}')).toBe('1');
    expect(sample('switchyard_errors_total{alias="chat",code="upstream_stream_interrupted"}')).toBe('1');
    expect(sample('switchyard_auth_failures_total{code="invalid_api_key"}')).toBe('1');
    expect(sample('switchyard_time_to_first_token_seconds_count{alias="chat"}')).toBe('2');
    expect(sample('switchyard_gateway_overhead_seconds_count{mode="unary"}')).toBe('4');
    expect(Number(sample('switchyard_tokens_total{direction="input",alias="embed",deployment="embedder",tier="on-prem",department="finance"}'))).toBeGreaterThan(0);
    expect(sample('switchyard_feedback_total{alias="none",rating="down"}')).toBe('1');
    expect(sample('switchyard_review_verdicts_total{alias="none",verdict="rejected"}')).toBe('1');
    // Policy and metering are on by default: the decision and the metered cost reach the metrics.
    expect(exposition).toMatch(/^switchyard_data_class_requests_total\{data_class="[a-z]+"\} [1-9]/m);
    expect(exposition).toMatch(/^switchyard_cost_usd_total\{alias="chat",deployment="primary",tier="on-prem",department="finance"\} \d/m);
    // The scrape itself is in flight while /metrics renders.
    expect(sample('switchyard_in_flight_requests')).toBe('1');
    expect(exposition).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
  });
});
