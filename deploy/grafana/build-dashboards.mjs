// Writes the five Grafana dashboards (one per operating view) beside this file.
// Run `node deploy/grafana/build-dashboards.mjs` after changing a panel; the JSON is committed
// so operators import it without running anything. Metric names must exist in
// src/observability/metrics.ts — src/observability/grafana-dashboards.test.ts checks every
// query against a running gateway's /metrics.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const RATE = '[$__rate_interval]';
const ALIAS = 'alias=~"$alias"';

let nextId = 1;
/** A timeseries (or stat/gauge) panel on a 24-column grid; `targets` are [expr, legend] pairs. */
function panel(title, targets, { type = 'timeseries', unit = 'short', width = 12, height = 8, description } = {}) {
  return {
    id: nextId++,
    type,
    title,
    ...(description ? { description } : {}),
    datasource: { type: 'prometheus', uid: '${datasource}' },
    fieldConfig: { defaults: { unit }, overrides: [] },
    gridPos: { w: width, h: height, x: 0, y: 0 },
    targets: targets.map(([expr, legendFormat], index) => ({
      refId: String.fromCharCode(65 + index),
      datasource: { type: 'prometheus', uid: '${datasource}' },
      expr,
      legendFormat,
    })),
  };
}

/** Lays panels out left to right, two per row unless a panel is wider. */
function layout(panels) {
  let x = 0;
  let y = 0;
  for (const item of panels) {
    if (x + item.gridPos.w > 24) {
      x = 0;
      y += 8;
    }
    item.gridPos.x = x;
    item.gridPos.y = y;
    x += item.gridPos.w;
  }
  return panels;
}

function dashboard(uid, title, description, panels) {
  return {
    uid,
    title,
    description,
    tags: ['switchyard'],
    timezone: 'browser',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    templating: {
      list: [
        { name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Prometheus' },
        {
          name: 'alias',
          label: 'Model alias',
          type: 'query',
          datasource: { type: 'prometheus', uid: '${datasource}' },
          query: { query: 'label_values(switchyard_requests_total, alias)', refId: 'alias' },
          includeAll: true,
          multi: true,
          current: { text: 'All', value: '$__all' },
          refresh: 2,
        },
      ],
    },
    panels: layout(panels),
  };
}

const quantile = (q, metric, by, selector = '') =>
  `histogram_quantile(${q}, sum by (le${by ? `, ${by}` : ''}) (rate(${metric}_bucket${selector ? `{${selector}}` : ''}${RATE})))`;

const dashboards = {
  availability: dashboard('switchyard-availability', 'Switchyard — Availability', 'Requests, errors, retries, failovers, circuit breakers and upstream health.', [
    panel('Requests by status class', [[`sum by (status_class) (rate(switchyard_requests_total{${ALIAS}}${RATE}))`, '{{status_class}}']], { unit: 'reqps' }),
    panel('Success ratio (non-5xx)', [[`sum(rate(switchyard_requests_total{${ALIAS},status_class!="5xx"}${RATE})) / sum(rate(switchyard_requests_total{${ALIAS}}${RATE}))`, 'success']], { unit: 'percentunit' }),
    panel('Requests by deployment and tier', [[`sum by (deployment, tier) (rate(switchyard_requests_total{${ALIAS}}${RATE}))`, '{{deployment}} ({{tier}})']], { unit: 'reqps' }),
    panel('Errors by code', [[`sum by (code) (rate(switchyard_errors_total{${ALIAS}}${RATE}))`, '{{code}}']], { unit: 'reqps' }),
    panel('Failed upstream attempts', [[`sum by (deployment, code) (rate(switchyard_upstream_failures_total${RATE}))`, '{{deployment}} {{code}}']], { unit: 'reqps' }),
    panel('Upstream timeouts', [[`sum by (deployment) (rate(switchyard_upstream_timeouts_total${RATE}))`, '{{deployment}}']], { unit: 'reqps' }),
    panel('Retries and failovers', [
      [`sum by (alias) (rate(switchyard_retries_total{${ALIAS}}${RATE}))`, 'retries {{alias}}'],
      [`sum by (alias) (rate(switchyard_failovers_total{${ALIAS}}${RATE}))`, 'failovers {{alias}}'],
    ], { unit: 'reqps' }),
    panel('Circuit breaker state (0 closed, 1 half-open, 2 open)', [[`max by (deployment) (switchyard_circuit_state)`, '{{deployment}}']]),
    panel('Circuit transitions (1h)', [[`sum by (deployment, to) (increase(switchyard_circuit_transitions_total[1h]))`, '{{deployment}} → {{to}}']]),
    panel('Upstream health (1 healthy)', [[`min by (deployment) (switchyard_upstream_healthy)`, '{{deployment}}']]),
  ]),
  performance: dashboard('switchyard-performance', 'Switchyard — Performance', 'Gateway-added latency, totals, time to first token, generation speed, load and runtime health.', [
    panel('Gateway overhead p50 / p99', [
      [quantile(0.5, 'switchyard_gateway_overhead_seconds', 'mode'), 'p50 {{mode}}'],
      [quantile(0.99, 'switchyard_gateway_overhead_seconds', 'mode'), 'p99 {{mode}}'],
    ], { unit: 's', description: 'Time the gateway adds on top of the upstream (target: p50 ≤ 0.3 ms in pure proxy mode).' }),
    panel('Total latency p50 / p90 / p99', [
      [quantile(0.5, 'switchyard_request_duration_seconds', 'alias', ALIAS), 'p50 {{alias}}'],
      [quantile(0.9, 'switchyard_request_duration_seconds', 'alias', ALIAS), 'p90 {{alias}}'],
      [quantile(0.99, 'switchyard_request_duration_seconds', 'alias', ALIAS), 'p99 {{alias}}'],
    ], { unit: 's' }),
    panel('Time to first token p50 / p99', [
      [quantile(0.5, 'switchyard_time_to_first_token_seconds', 'alias', ALIAS), 'p50 {{alias}}'],
      [quantile(0.99, 'switchyard_time_to_first_token_seconds', 'alias', ALIAS), 'p99 {{alias}}'],
    ], { unit: 's' }),
    panel('Upstream time p99 by deployment', [[quantile(0.99, 'switchyard_upstream_duration_seconds', 'deployment, mode'), '{{deployment}} {{mode}}']], { unit: 's' }),
    panel('Output tokens per second (median)', [[quantile(0.5, 'switchyard_output_tokens_per_second', 'alias', ALIAS), '{{alias}}']]),
    panel('In-flight requests', [[`sum(switchyard_in_flight_requests)`, 'in flight']]),
    panel('Event-loop lag', [
      [`max(nodejs_eventloop_lag_p99_seconds)`, 'p99'],
      [`max(nodejs_eventloop_lag_mean_seconds)`, 'mean'],
    ], { unit: 's' }),
    panel('CPU per request', [[`sum(rate(process_cpu_seconds_total${RATE})) / sum(rate(switchyard_requests_total${RATE}))`, 'CPU s / request']], { unit: 's' }),
    panel('Resident memory', [[`max(process_resident_memory_bytes)`, 'RSS']], { unit: 'bytes' }),
  ]),
  quality: dashboard('switchyard-quality', 'Switchyard — Quality', 'User feedback, human review verdicts, citations, refusals and traffic per release.', [
    panel('Feedback by rating (1h)', [[`sum by (rating) (increase(switchyard_feedback_total{${ALIAS}}[1h]))`, '{{rating}}']]),
    panel('Thumbs-down share', [[`sum(rate(switchyard_feedback_total{${ALIAS},rating="down"}${RATE})) / sum(rate(switchyard_feedback_total{${ALIAS}}${RATE}))`, 'down / all']], { unit: 'percentunit' }),
    panel('Review verdicts (1d)', [[`sum by (alias, verdict) (increase(switchyard_review_verdicts_total{${ALIAS}}[1d]))`, '{{alias}} {{verdict}}']]),
    panel('Review rejection ratio', [[`sum by (alias) (rate(switchyard_review_verdicts_total{${ALIAS},verdict="rejected"}${RATE})) / sum by (alias) (rate(switchyard_review_verdicts_total{${ALIAS}}${RATE}))`, '{{alias}}']], { unit: 'percentunit' }),
    panel('Responses with citations (share of 2xx)', [[`sum by (alias) (rate(switchyard_responses_with_citations_total{${ALIAS}}${RATE})) / sum by (alias) (rate(switchyard_requests_total{${ALIAS},status_class="2xx"}${RATE}))`, '{{alias}}']], { unit: 'percentunit' }),
    panel('Refusals', [[`sum by (alias) (rate(switchyard_refusals_total{${ALIAS}}${RATE}))`, '{{alias}}']], { unit: 'reqps' }),
    panel('Requests by release', [[`sum by (release, role) (rate(switchyard_release_requests_total{${ALIAS}}${RATE}))`, '{{role}} {{release}}']], { unit: 'reqps', description: 'Production, canary and evaluation (pinned) traffic per release: compare the canary with production during a gray release.' }),
    panel('Eval pass rate by release and category', [[`max by (release, category) (switchyard_eval_pass_rate)`, '{{release}} {{category}}']], { unit: 'percentunit', description: 'Newest published question-bank evaluation per release (switchyard eval run --publish).' }),
    panel('Eval citation hit rate and refusal correctness', [
      [`max by (release) (switchyard_eval_citation_rate)`, 'citations {{release}}'],
      [`max by (release) (switchyard_eval_refusal_correctness)`, 'refusals correct {{release}}'],
    ], { unit: 'percentunit' }),
    panel('Eval PII leaks by release', [[`max by (release) (switchyard_eval_pii_leaks)`, '{{release}}']]),
    panel('Error share by release', [[`sum by (release) (rate(switchyard_release_requests_total{${ALIAS},status_class="5xx"}${RATE})) / sum by (release) (rate(switchyard_release_requests_total{${ALIAS}}${RATE}))`, '{{release}}']], { unit: 'percentunit' }),
  ]),
  risk: dashboard('switchyard-risk', 'Switchyard — Risk', 'Policy denials, sensitive entities, masking, data classes, guard signals and authentication failures.', [
    panel('Policy denials by rule', [[`sum by (rule) (rate(switchyard_policy_denials_total${RATE}))`, '{{rule}}']], { unit: 'reqps' }),
    panel('Entity detections by type', [[`sum by (entity_type) (rate(switchyard_entity_detections_total${RATE}))`, '{{entity_type}}']], { unit: 'ops' }),
    panel('Masked requests', [[`sum by (alias) (rate(switchyard_masked_requests_total{${ALIAS}}${RATE}))`, '{{alias}}']], { unit: 'reqps' }),
    panel('Requests by data class (1h)', [[`sum by (data_class) (increase(switchyard_data_class_requests_total[1h]))`, '{{data_class}}']]),
    panel('Guard signals', [[`sum by (signal) (rate(switchyard_guard_signals_total${RATE}))`, '{{signal}}']], { unit: 'ops' }),
    panel('Guard hits by category', [[`sum by (category) (rate(switchyard_guard_hits_total${RATE}))`, '{{category}}'], [`sum by (category, direction) (rate(switchyard_guard_hits_total{action=~"block|cut"}${RATE}))`, 'blocked {{category}} ({{direction}})']], { unit: 'ops' }),
    panel('Authentication failures by code', [[`sum by (code) (rate(switchyard_auth_failures_total${RATE}))`, '{{code}}']], { unit: 'reqps' }),
  ]),
  cost: dashboard('switchyard-cost', 'Switchyard — Cost', 'Tokens and cost by alias, deployment, tier and department; budget utilisation.', [
    panel('Tokens by alias (1h)', [[`sum by (alias, direction) (increase(switchyard_tokens_total{${ALIAS}}[1h]))`, '{{alias}} {{direction}}']]),
    panel('Tokens by department (1h)', [[`sum by (department, direction) (increase(switchyard_tokens_total{${ALIAS}}[1h]))`, '{{department}} {{direction}}']]),
    panel('Tokens by tier (1h)', [[`sum by (tier, direction) (increase(switchyard_tokens_total{${ALIAS}}[1h]))`, '{{tier}} {{direction}}']]),
    panel('Cost by department (1d)', [[`sum by (department) (increase(switchyard_cost_usd_total{${ALIAS}}[1d]))`, '{{department}}']], { unit: 'currencyUSD' }),
    panel('Cost by deployment (1d)', [[`sum by (deployment, tier) (increase(switchyard_cost_usd_total{${ALIAS}}[1d]))`, '{{deployment}} ({{tier}})']], { unit: 'currencyUSD' }),
    panel('Cost by alias (1d)', [[`sum by (alias) (increase(switchyard_cost_usd_total{${ALIAS}}[1d]))`, '{{alias}}']], { unit: 'currencyUSD' }),
    panel('Budget utilisation', [[`max by (budget) (switchyard_budget_utilisation_ratio)`, '{{budget}}']], { type: 'bargauge', unit: 'percentunit' }),
    panel('Budget thresholds crossed (1d)', [[`sum by (budget) (increase(switchyard_budget_threshold_crossings_total[1d]))`, '{{budget}}']]),
  ]),
};

for (const [view, content] of Object.entries(dashboards)) {
  writeFileSync(join(import.meta.dirname, `switchyard-${view}.json`), `${JSON.stringify(content, null, 2)}\n`);
}
