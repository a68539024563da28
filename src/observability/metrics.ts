import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ERROR_CODES } from '../errors/error-codes.js';
import { createLabelDomain, type LabelDomain } from './label-domain.js';

/**
 * Every metric Switchyard exports, by name, grouped by the five operating dashboards.
 * Names are a public contract (dashboards and alerts match on them): add, never rename.
 * docs/metrics.md documents each entry; a test fails when one is missing there, and the
 * Grafana test fails when a dashboard queries a name that a running gateway does not expose.
 *
 * Labels are bounded on purpose: no user, key, request or free-text label. `alias`,
 * `deployment`, `department`, `data_class`, `rule`, `entity_type` and `budget` values come from
 * configuration (anything else is exported as `other`, see label-domain.ts).
 */

export type Dashboard = 'availability' | 'performance' | 'quality' | 'risk' | 'cost';

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition<Label extends string = string, Type extends MetricType = MetricType> {
  name: string;
  type: Type;
  dashboard: Dashboard;
  help: string;
  labels: readonly Label[];
  buckets?: readonly number[];
}

function define<const Label extends string, const Type extends MetricType>(
  definition: MetricDefinition<Label, Type>,
): MetricDefinition<Label, Type> {
  return definition;
}

/** Fine below a millisecond (the overhead target is 0.3 ms) and still useful at a second. */
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.0002, 0.0003, 0.0005, 0.00075, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1];
/** Totals run from a cached millisecond to a five-minute generation. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];
const TTFT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];
const TOKENS_PER_SECOND_BUCKETS = [1, 5, 10, 20, 30, 50, 75, 100, 150, 200, 300, 500, 1000, 5000];

export const METRICS = {
  // — availability —
  requests: define({ name: 'switchyard_requests_total', type: 'counter', dashboard: 'availability', labels: ['alias', 'deployment', 'tier', 'status_class'], help: 'Finished API requests by model alias, serving deployment, tier and HTTP status class.' }),
  errors: define({ name: 'switchyard_errors_total', type: 'counter', dashboard: 'availability', labels: ['alias', 'code'], help: 'Requests that ended in an error (including streams cut after the first byte), by stable error code.' }),
  upstreamFailures: define({ name: 'switchyard_upstream_failures_total', type: 'counter', dashboard: 'availability', labels: ['deployment', 'code'], help: 'Failed upstream attempts (each attempt of a failover chain counts), by deployment and error code.' }),
  upstreamTimeouts: define({ name: 'switchyard_upstream_timeouts_total', type: 'counter', dashboard: 'availability', labels: ['deployment'], help: 'Upstream attempts that timed out.' }),
  retries: define({ name: 'switchyard_retries_total', type: 'counter', dashboard: 'availability', labels: ['alias'], help: 'Upstream attempts beyond the first one of a request.' }),
  failovers: define({ name: 'switchyard_failovers_total', type: 'counter', dashboard: 'availability', labels: ['alias'], help: 'Requests served by another deployment than the first one tried.' }),
  circuitState: define({ name: 'switchyard_circuit_state', type: 'gauge', dashboard: 'availability', labels: ['deployment'], help: 'Circuit breaker state per deployment: 0 closed, 1 half-open, 2 open.' }),
  circuitTransitions: define({ name: 'switchyard_circuit_transitions_total', type: 'counter', dashboard: 'availability', labels: ['deployment', 'to'], help: 'Circuit breaker state changes, by the state entered.' }),
  upstreamHealthy: define({ name: 'switchyard_upstream_healthy', type: 'gauge', dashboard: 'availability', labels: ['deployment'], help: 'Active health check verdict per deployment: 1 healthy, 0 unhealthy.' }),
  // — performance —
  requestDuration: define({ name: 'switchyard_request_duration_seconds', type: 'histogram', dashboard: 'performance', labels: ['alias', 'mode'], buckets: DURATION_BUCKETS, help: 'Total time from the start of request handling to the end of the response (mode: unary or stream).' }),
  gatewayOverhead: define({ name: 'switchyard_gateway_overhead_seconds', type: 'histogram', dashboard: 'performance', labels: ['mode'], buckets: OVERHEAD_BUCKETS, help: 'Time the gateway adds: total minus upstream time (unary), time to first token minus upstream time to first part (stream).' }),
  upstreamDuration: define({ name: 'switchyard_upstream_duration_seconds', type: 'histogram', dashboard: 'performance', labels: ['deployment', 'mode'], buckets: DURATION_BUCKETS, help: 'Time waiting on the upstream: the whole answer (unary) or its first part (stream), failed attempts included.' }),
  timeToFirstToken: define({ name: 'switchyard_time_to_first_token_seconds', type: 'histogram', dashboard: 'performance', labels: ['alias'], buckets: TTFT_BUCKETS, help: 'Time to the first streamed token as the client sees it.' }),
  outputTokensPerSecond: define({ name: 'switchyard_output_tokens_per_second', type: 'histogram', dashboard: 'performance', labels: ['alias'], buckets: TOKENS_PER_SECOND_BUCKETS, help: 'Generation speed: output tokens per second after the first token (stream) or of the upstream call (unary).' }),
  inFlight: define({ name: 'switchyard_in_flight_requests', type: 'gauge', dashboard: 'performance', labels: [], help: 'HTTP requests being handled right now.' }),
  // — quality —
  feedback: define({ name: 'switchyard_feedback_total', type: 'counter', dashboard: 'quality', labels: ['alias', 'rating'], help: 'Feedback ratings received through POST /v1/feedback (alias unknown when the request is not on record).' }),
  reviewVerdicts: define({ name: 'switchyard_review_verdicts_total', type: 'counter', dashboard: 'quality', labels: ['alias', 'verdict'], help: 'Human review verdicts (accepted or rejected) received through POST /v1/feedback.' }),
  citations: define({ name: 'switchyard_responses_with_citations_total', type: 'counter', dashboard: 'quality', labels: ['alias'], help: 'Responses that carried references (citations).' }),
  releaseRequests: define({ name: 'switchyard_release_requests_total', type: 'counter', dashboard: 'quality', labels: ['alias', 'release', 'role', 'status_class'], help: 'Chat requests by the release that served them (role: production, canary, pinned for evaluation, or config when nothing is promoted), so quality can be compared across a canary split.' }),
  evalPassRate: define({ name: 'switchyard_eval_pass_rate', type: 'gauge', dashboard: 'quality', labels: ['release', 'category'], help: 'Pass rate of the newest published question-bank evaluation of each release, per category (all = every item).' }),
  evalCitationRate: define({ name: 'switchyard_eval_citation_rate', type: 'gauge', dashboard: 'quality', labels: ['release'], help: 'Citation hit rate (items with must_cite that cited a given source) of the newest published evaluation of each release.' }),
  evalRefusalCorrectness: define({ name: 'switchyard_eval_refusal_correctness', type: 'gauge', dashboard: 'quality', labels: ['release'], help: 'Share of must_refuse items answered correctly (refused or not) in the newest published evaluation of each release.' }),
  evalPiiLeaks: define({ name: 'switchyard_eval_pii_leaks', type: 'gauge', dashboard: 'quality', labels: ['release'], help: 'Items whose answer leaked a forbidden PII type in the newest published evaluation of each release.' }),
  refusals: define({ name: 'switchyard_refusals_total', type: 'counter', dashboard: 'quality', labels: ['alias'], help: 'Responses in which the model refused (content filter or refusal detected).' }),
  // — risk —
  policyDenials: define({ name: 'switchyard_policy_denials_total', type: 'counter', dashboard: 'risk', labels: ['rule'], help: 'Requests denied by the policy, by deciding rule.' }),
  entityDetections: define({ name: 'switchyard_entity_detections_total', type: 'counter', dashboard: 'risk', labels: ['entity_type'], help: 'Sensitive entities detected in requests, by entity type (each occurrence counts).' }),
  maskedRequests: define({ name: 'switchyard_masked_requests_total', type: 'counter', dashboard: 'risk', labels: ['alias'], help: 'Requests whose content was masked before leaving the gateway.' }),
  dataClassRequests: define({ name: 'switchyard_data_class_requests_total', type: 'counter', dashboard: 'risk', labels: ['data_class'], help: 'Requests by the data class the policy assigned.' }),
  guardSignals: define({ name: 'switchyard_guard_signals_total', type: 'counter', dashboard: 'risk', labels: ['signal'], help: 'Guard signals raised: prompt_injection, privilege, exfiltration.' }),
  guardHits: define({ name: 'switchyard_guard_hits_total', type: 'counter', dashboard: 'risk', labels: ['category', 'action', 'direction'], help: 'Guard hits by category (prompt_injection, jailbreak, privilege_escalation, data_exfiltration, system_prompt_leak), action taken and direction (input: the request; output: the answer).' }),
  authFailures: define({ name: 'switchyard_auth_failures_total', type: 'counter', dashboard: 'risk', labels: ['code'], help: 'Failed authentications (and throttled attempts), by error code.' }),
  // — cost —
  tokens: define({ name: 'switchyard_tokens_total', type: 'counter', dashboard: 'cost', labels: ['direction', 'alias', 'deployment', 'tier', 'department'], help: 'Tokens in (prompt) and out (completion) by alias, deployment, tier and department.' }),
  cost: define({ name: 'switchyard_cost_usd_total', type: 'counter', dashboard: 'cost', labels: ['alias', 'deployment', 'tier', 'department'], help: 'Metered cost in US dollars by alias, deployment, tier and department.' }),
  budgetUtilisation: define({ name: 'switchyard_budget_utilisation_ratio', type: 'gauge', dashboard: 'cost', labels: ['budget'], help: 'Spent share of each budget in its current period (1 = exhausted).' }),
  budgetThresholds: define({ name: 'switchyard_budget_threshold_crossings_total', type: 'counter', dashboard: 'cost', labels: ['budget'], help: 'Soft budget thresholds crossed.' }),
  overReservations: define({ name: 'switchyard_over_reservation_total', type: 'counter', dashboard: 'cost', labels: ['deployment'], help: 'Requests whose actual cost exceeded the budget reservation (settled at the actual cost; alert on any).' }),
  usageClamped: define({ name: 'switchyard_usage_clamped_total', type: 'counter', dashboard: 'cost', labels: ['deployment', 'field', 'reason'], help: 'Upstream usage counts that were impossible (negative, fractional, above the cap) and were clamped.' }),
  unpricedRequests: define({ name: 'switchyard_unpriced_requests_total', type: 'counter', dashboard: 'cost', labels: ['deployment'], help: 'Requests served by a non-on-prem deployment with no price in config or the catalogue (cost unknown).' }),
} as const;

export type MetricKey = keyof typeof METRICS;

/**
 * prom-client default metrics the dashboards use (process and Node.js runtime, collected on
 * scrape). Event-loop lag comes from here rather than a timer of our own.
 */
export const DEFAULT_METRICS_USED = [
  { name: 'nodejs_eventloop_lag_p99_seconds', dashboard: 'performance', help: 'Event-loop delay, 99th percentile since start (prom-client default).' },
  { name: 'nodejs_eventloop_lag_mean_seconds', dashboard: 'performance', help: 'Event-loop delay, mean since start (prom-client default).' },
  { name: 'process_cpu_seconds_total', dashboard: 'performance', help: 'CPU time of the gateway process (prom-client default).' },
  { name: 'process_resident_memory_bytes', dashboard: 'performance', help: 'Resident memory of the gateway process (prom-client default).' },
] as const satisfies ReadonlyArray<{ name: string; dashboard: Dashboard; help: string }>;

export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;
export const GUARD_SIGNALS = ['prompt_injection', 'privilege', 'exfiltration'] as const;
export type GuardSignal = (typeof GUARD_SIGNALS)[number];
/** Guard categories (the guard room's stable contract) and the actions counted per direction. */
export const GUARD_HIT_CATEGORIES = ['prompt_injection', 'jailbreak', 'privilege_escalation', 'data_exfiltration', 'system_prompt_leak'] as const;
export const GUARD_HIT_ACTIONS = { input: ['flag', 'block', 'route_on_prem'], output: ['flag', 'mask', 'cut'] } as const;

type LabelsOf<K extends MetricKey> = (typeof METRICS)[K]['labels'][number];
type KeysOfType<T extends MetricType> = { [K in MetricKey]: (typeof METRICS)[K]['type'] extends T ? K : never }[MetricKey];

/** The prom-client objects, typed by their label names. */
export type MetricFamilies = { [K in KeysOfType<'counter'>]: Counter<LabelsOf<K>> } & {
  [K in KeysOfType<'gauge'>]: Gauge<LabelsOf<K>>;
} & { [K in KeysOfType<'histogram'>]: Histogram<LabelsOf<K>> };

/** What configuration says may appear as label values. */
export interface MetricsScope {
  /** `config.models`: aliases and the deployments each can reach (their series start at zero). */
  models: ReadonlyArray<{ alias: string; targets: ReadonlyArray<{ deployment: string }> }>;
  /** `config.deployments`. */
  deployments: ReadonlyArray<{ id: string; tier: string }>;
  departments?: readonly string[];
  dataClasses?: readonly string[];
  /** Names of the policy rules. */
  policyRules?: readonly string[];
  /** Entity types the detectors (built-in and custom) can report. */
  entityTypes?: readonly string[];
  /** Budget ids. */
  budgets?: readonly string[];
}

export interface MetricsOptions extends MetricsScope {
  /** Defaults to a fresh registry (not prom-client's global one, so tests and reloads do not collide). */
  registry?: Registry;
  /** prom-client's process and Node.js runtime metrics, event-loop lag included. Default true. */
  defaultMetrics?: boolean;
}

export interface MetricDomains {
  alias: LabelDomain;
  deployment: LabelDomain;
  tier: LabelDomain;
  department: LabelDomain;
  dataClass: LabelDomain;
  rule: LabelDomain;
  entityType: LabelDomain;
  budget: LabelDomain;
  code: LabelDomain;
}

export type CircuitStateLabel = 'closed' | 'half_open' | 'open';
export type FeedbackRating = 'up' | 'down';
export type ReviewVerdict = 'accepted' | 'rejected';

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly families: MetricFamilies;
  readonly domains: MetricDomains;
  /** Subscribe to CircuitBreakerRegistry.onStateChange. */
  setCircuitState(deployment: string, state: CircuitStateLabel): void;
  /** Subscribe to HealthChecker.onChange. */
  setUpstreamHealth(deployment: string, healthy: boolean): void;
  setBudgetUtilisation(budget: string, ratio: number): void;
  /** Subscribe to the budget enforcer's `budget-threshold` events. */
  recordBudgetThreshold(budget: string): void;
  recordGuardSignal(signal: GuardSignal): void;
  /** For whoever inspects answers (citations present, refusal detected). */
  recordResponseQuality(alias: string | undefined, quality: { citations?: boolean; refusal?: boolean }): void;
  recordFeedback(alias: string | undefined, rating: FeedbackRating, verdict?: ReviewVerdict): void;
  /** After a config reload: new aliases, deployments, … become label values and start at zero. */
  reconfigure(scope: MetricsScope): void;
}

const CIRCUIT_STATE_VALUE: Record<CircuitStateLabel, number> = { closed: 0, half_open: 1, open: 2 };

function createFamilies(registry: Registry): MetricFamilies {
  const families: Record<string, Counter | Gauge | Histogram> = {};
  for (const [key, definition] of Object.entries(METRICS) as Array<[MetricKey, MetricDefinition]>) {
    const config = { name: definition.name, help: definition.help, labelNames: [...definition.labels], registers: [registry] };
    families[key] =
      definition.type === 'counter'
        ? new Counter(config)
        : definition.type === 'gauge'
          ? new Gauge(config)
          : new Histogram({ ...config, buckets: [...(definition.buckets ?? [])] });
  }
  return families as unknown as MetricFamilies;
}

export function createMetrics(options: MetricsOptions): GatewayMetrics {
  const registry = options.registry ?? new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const families = createFamilies(registry);
  const domains: MetricDomains = {
    alias: createLabelDomain(),
    deployment: createLabelDomain(),
    tier: createLabelDomain(),
    department: createLabelDomain(),
    dataClass: createLabelDomain(),
    rule: createLabelDomain(),
    entityType: createLabelDomain(),
    budget: createLabelDomain(),
    code: createLabelDomain(Object.keys(ERROR_CODES)),
  };

  /** Zero series for every configured label value, so rates and ratios exist before traffic. */
  const reconfigure = (scope: MetricsScope): void => {
    domains.alias.replace(scope.models.map((model) => model.alias));
    domains.deployment.replace(scope.deployments.map((deployment) => deployment.id));
    domains.tier.replace(scope.deployments.map((deployment) => deployment.tier));
    domains.department.replace(scope.departments ?? []);
    domains.dataClass.replace(scope.dataClasses ?? []);
    domains.rule.replace(scope.policyRules ?? []);
    domains.entityType.replace(scope.entityTypes ?? []);
    domains.budget.replace(scope.budgets ?? []);

    const tierOf = new Map(scope.deployments.map((deployment) => [deployment.id, deployment.tier]));
    for (const deployment of domains.deployment.values()) {
      families.upstreamTimeouts.labels(deployment).inc(0);
      families.circuitState.labels(deployment).set(0);
      families.upstreamHealthy.labels(deployment).set(1);
    }
    for (const model of scope.models) {
      const alias = domains.alias.map(model.alias);
      for (const target of model.targets) {
        const deployment = domains.deployment.map(target.deployment);
        const tier = domains.tier.map(tierOf.get(target.deployment));
        for (const statusClass of ['2xx', '4xx', '5xx']) families.requests.labels(alias, deployment, tier, statusClass).inc(0);
      }
      families.retries.labels(alias).inc(0);
      families.failovers.labels(alias).inc(0);
      families.requestDuration.zero({ alias, mode: 'unary' });
      for (const rating of ['up', 'down']) families.feedback.labels(alias, rating).inc(0);
      for (const verdict of ['accepted', 'rejected']) families.reviewVerdicts.labels(alias, verdict).inc(0);
      families.citations.labels(alias).inc(0);
      families.refusals.labels(alias).inc(0);
      families.maskedRequests.labels(alias).inc(0);
    }
    families.gatewayOverhead.zero({ mode: 'unary' });
    families.gatewayOverhead.zero({ mode: 'stream' });
    for (const rule of domains.rule.values()) families.policyDenials.labels(rule).inc(0);
    for (const entityType of domains.entityType.values()) families.entityDetections.labels(entityType).inc(0);
    for (const dataClass of domains.dataClass.values()) families.dataClassRequests.labels(dataClass).inc(0);
    for (const budget of domains.budget.values()) {
      families.budgetUtilisation.labels(budget).set(0);
      families.budgetThresholds.labels(budget).inc(0);
    }
    for (const signal of GUARD_SIGNALS) families.guardSignals.labels(signal).inc(0);
    for (const category of GUARD_HIT_CATEGORIES) {
      for (const direction of ['input', 'output'] as const) for (const action of GUARD_HIT_ACTIONS[direction]) families.guardHits.labels(category, action, direction).inc(0);
    }
    for (const code of ['missing_api_key', 'invalid_api_key']) families.authFailures.labels(code).inc(0);
  };
  reconfigure(options);

  return {
    registry,
    families,
    domains,
    setCircuitState(deployment, state) {
      const label = domains.deployment.map(deployment);
      families.circuitState.labels(label).set(CIRCUIT_STATE_VALUE[state]);
      families.circuitTransitions.labels(label, state).inc();
    },
    setUpstreamHealth(deployment, healthy) {
      families.upstreamHealthy.labels(domains.deployment.map(deployment)).set(healthy ? 1 : 0);
    },
    setBudgetUtilisation(budget, ratio) {
      if (Number.isFinite(ratio)) families.budgetUtilisation.labels(domains.budget.map(budget)).set(ratio);
    },
    recordBudgetThreshold(budget) {
      families.budgetThresholds.labels(domains.budget.map(budget)).inc();
    },
    recordGuardSignal(signal) {
      families.guardSignals.labels(signal).inc();
    },
    recordResponseQuality(alias, quality) {
      const label = domains.alias.map(alias);
      if (quality.citations) families.citations.labels(label).inc();
      if (quality.refusal) families.refusals.labels(label).inc();
    },
    recordFeedback(alias, rating, verdict) {
      const label = domains.alias.map(alias);
      families.feedback.labels(label, rating).inc();
      if (verdict !== undefined) families.reviewVerdicts.labels(label, verdict).inc();
    },
    reconfigure,
  };
}
