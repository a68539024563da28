import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIERS } from '../model/tiers.js';
import { UpstreamError } from '../errors/gateway-error.js';
import type { ChatRequest } from '../model/chat-request.js';
import { resilientDispatch } from '../routing/resilient-dispatch.js';
import { classifyRequest, type TextScanner } from './classify.js';
import { allowedTargets, assertEgressAllowed, isEgressAllowed } from './egress-guard.js';
import { policySchema, type PolicyConfig, type PolicyRuleConfig } from './policy-config-schema.js';
import type { PolicyDecision } from './policy-decision.js';
import { decidePolicy } from './routing-rules.js';
import { fakeScanner } from '../../test/support/policy/fake-scanner.js';

function decision(overrides: Partial<PolicyDecision> = {}): PolicyDecision {
  return {
    rule: 'r',
    reason: '',
    action: 'allow',
    dataClass: 'restricted',
    classReasons: [],
    entities: {},
    scanFailed: false,
    allowedTiers: ['on-prem'],
    mask: { types: [], mode: 'reversible' },
    skipped: [],
    logged: [],
    ...overrides,
  };
}

describe('assertEgressAllowed', () => {
  it('allows a deployment in an allowed tier and refuses others with egress_denied', () => {
    expect(() => assertEgressAllowed(decision(), { id: 'local', tier: 'on-prem' })).not.toThrow();
    expect(() => assertEgressAllowed(decision(), { id: 'openai', tier: 'api' })).toThrow(
      expect.objectContaining({ code: 'egress_denied', status: 403, retryable: false }),
    );
  });

  it('fails closed without a decision, for a deny decision and for an unknown tier', () => {
    expect(isEgressAllowed(undefined, { id: 'local', tier: 'on-prem' })).toBe(false);
    expect(isEgressAllowed(decision({ action: 'deny', allowedTiers: ['on-prem'] }), { id: 'local', tier: 'on-prem' })).toBe(false);
    expect(isEgressAllowed(decision({ allowedTiers: [...TIERS] }), { id: 'x', tier: 'edge' })).toBe(false);
    expect(isEgressAllowed(decision({ allowedTiers: [...TIERS] }), { id: 'x', tier: undefined })).toBe(false);
  });

  it('also requires the deployment list when the rule names one', () => {
    const scoped = decision({ allowedTiers: [...TIERS], allowedDeployments: ['gpu-1'] });
    expect(isEgressAllowed(scoped, { id: 'gpu-1', tier: 'api' })).toBe(true);
    expect(isEgressAllowed(scoped, { id: 'gpu-2', tier: 'on-prem' })).toBe(false);
  });
});

describe('allowedTargets', () => {
  const tiers: Record<string, string> = { local: 'on-prem', azure: 'private-cloud', openai: 'api' };
  const targets = [{ deployment: 'openai' }, { deployment: 'local' }, { deployment: 'azure' }];

  it('keeps the allowed targets in order', () => {
    expect(allowedTargets(decision({ allowedTiers: ['on-prem', 'private-cloud'] }), targets, (id) => tiers[id])).toEqual([{ deployment: 'local' }, { deployment: 'azure' }]);
  });

  it('is a policy refusal when nothing is left, and for a deny decision (with its message)', () => {
    expect(() => allowedTargets(decision(), [{ deployment: 'openai' }], (id) => tiers[id], "'gpt'")).toThrow(
      expect.objectContaining({ code: 'policy_denied', message: "Data of class 'restricted' may only go to on-prem tier deployments (rule 'r'), and 'gpt' has none." }),
    );
    expect(() => allowedTargets(decision({ action: 'deny', denyMessage: 'No secrets.' }), targets, (id) => tiers[id])).toThrow('No secrets.');
  });
});

/* ------------------------------------------------------------------------------------------ *
 * Property: whatever the config, class, failover chain and faults, nothing is sent to a tier
 * (or deployment) the policy does not allow for the request's class.
 * ------------------------------------------------------------------------------------------ */

const ENTITY_SAMPLES: Record<string, string> = { TW_NATIONAL_ID: 'A123456789', EMAIL: 'x@y.tw', PHONE: '0912-345-678', PERSON: '王小明', SECRET: 'sk-abcdefgh12' };
const ENTITY_TYPES = Object.keys(ENTITY_SAMPLES);
const DEPARTMENTS = ['finance', 'rd', 'legal'];
type Fault = 'ok' | 'retryable' | 'fatal';

interface Scenario {
  policy: PolicyConfig;
  deployments: Map<string, string>;
  chain: string[];
  faults: Fault[];
  present: string[];
  department: string | undefined;
  scan: 'ok' | 'throws' | 'slow';
}

const tierArbitrary = fc.constantFrom<string>(...TIERS, 'unknown-tier');

const scenarioArbitrary = fc
  .record({
    classCount: fc.integer({ min: 2, max: 5 }),
    deploymentTiers: fc.array(tierArbitrary, { minLength: 1, maxLength: 6 }),
    seeds: fc.array(fc.nat(1000), { minLength: 40, maxLength: 40 }),
    ruleCount: fc.integer({ min: 0, max: 5 }),
    chainLength: fc.integer({ min: 1, max: 8 }),
    faults: fc.array(fc.constantFrom<Fault>('ok', 'retryable', 'retryable', 'fatal'), { minLength: 8, maxLength: 8 }),
    present: fc.subarray(ENTITY_TYPES),
    department: fc.option(fc.constantFrom(...DEPARTMENTS), { nil: undefined }),
    scan: fc.constantFrom<Scenario['scan']>('ok', 'ok', 'throws', 'slow'),
  })
  .map((raw): Scenario | undefined => {
    let cursor = 0;
    const next = (modulo: number): number => (raw.seeds[cursor++ % raw.seeds.length] ?? 0) % modulo;
    const classes = Array.from({ length: raw.classCount }, (_unused, index) => `c${index}`);
    const pick = <T>(items: readonly T[]): T => items[next(items.length)] as T;
    const subset = <T>(items: readonly T[]): T[] => {
      const chosen = items.filter(() => next(2) === 1);
      return chosen.length > 0 ? chosen : [pick(items)];
    };
    const deploymentIds = raw.deploymentTiers.map((_tier, index) => `d${index}`);
    const action = (): Partial<PolicyRuleConfig> => {
      const kind = next(4);
      if (kind === 0) return { deny: 'no' };
      if (kind === 1) return { allow_deployments: subset(deploymentIds) };
      if (kind === 2) return { allow_tiers: subset(TIERS), allow_deployments: subset(deploymentIds) };
      return { allow_tiers: subset(TIERS) };
    };
    const rules: PolicyRuleConfig[] = Array.from({ length: raw.ruleCount }, (_unused, index): PolicyRuleConfig => {
      const condition = next(4);
      const match =
        condition === 0 ? { data_class_at_least: pick(classes) } : condition === 1 ? { data_class: subset(classes) } : condition === 2 ? { entities: subset(ENTITY_TYPES) } : { department: subset(DEPARTMENTS) };
      return { name: `r${index}`, match, ...(next(5) === 0 ? { log_only: true } : action()) };
    });
    rules.push({ name: 'default', ...action() });
    const parsed = policySchema.safeParse({
      data_classes: classes,
      entity_classes: ENTITY_TYPES.map((entity) => ({ entity, class: pick(classes), min_count: 1 + next(2) })),
      departments: { finance: pick(classes) },
      scan: { timeout_ms: 20 },
      rules,
    });
    if (!parsed.success) return undefined;
    const chain = Array.from({ length: raw.chainLength }, () => (next(8) === 0 ? 'ghost' : pick(deploymentIds)));
    return {
      policy: parsed.data,
      deployments: new Map(deploymentIds.map((id, index) => [id, raw.deploymentTiers[index] ?? 'api'])),
      chain,
      faults: raw.faults,
      present: raw.present,
      department: raw.department,
      scan: raw.scan,
    };
  })
  .filter((scenario): scenario is Scenario => scenario !== undefined);

/** Reference semantics, written independently of routing-rules.ts: the tiers/deployments a class may reach. */
function oracle(policy: PolicyConfig, dataClass: string, entities: Record<string, number>, department: string | undefined) {
  const rank = (name: string) => policy.data_classes.indexOf(name);
  for (const rule of policy.rules) {
    const match = rule.match ?? {};
    const holds =
      (match.data_class === undefined || match.data_class.includes(dataClass)) &&
      (match.data_class_at_least === undefined || rank(dataClass) >= rank(match.data_class_at_least)) &&
      (match.entities === undefined || match.entities.some((type) => (entities[type] ?? 0) > 0)) &&
      (match.department === undefined || (department !== undefined && match.department.includes(department)));
    if (!holds || rule.log_only) continue;
    if (rule.deny !== undefined) return undefined;
    return { tiers: rule.allow_tiers ?? [...TIERS], deployments: rule.allow_deployments };
  }
  return undefined;
}

function scannerFor(mode: Scenario['scan']): TextScanner {
  if (mode === 'throws') return { scan: () => { throw new Error('detector crashed'); } };
  if (mode === 'slow') return { scan: () => new Promise((resolve) => setTimeout(() => resolve(fakeScanner.scan('') as { entities: [] }), 60)) };
  return fakeScanner;
}

describe('egress invariant (property)', () => {
  it('never sends a request of a class to a tier or deployment its policy does not allow', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArbitrary, async (scenario) => {
        const request: ChatRequest = {
          model: 'alias',
          stream: false,
          messages: [{ role: 'user', content: [{ type: 'text', text: `請看 ${scenario.present.map((type) => ENTITY_SAMPLES[type]).join('，')}` }] }],
        };
        const principal = scenario.department === undefined ? undefined : { department: scenario.department };
        const classification = await classifyRequest(scenario.policy, scannerFor(scenario.scan), { request, ...(principal ? { principal } : {}) });
        // Fail closed: a failed or slow scan is the highest class.
        if (scenario.scan !== 'ok') expect(classification).toMatchObject({ scanFailed: true, dataClass: scenario.policy.data_classes.at(-1) });
        const policyDecision = decidePolicy(scenario.policy, {
          ...classification,
          classReasons: classification.reasons,
          ...(scenario.department ? { principal: { id: 'k', department: scenario.department, roles: [] } } : {}),
        });
        const expected = oracle(scenario.policy, classification.dataClass, classification.entities, scenario.department);
        const sent: string[] = [];
        const tierOf = (id: string) => scenario.deployments.get(id);
        let attempt = 0;
        const send = async (target: { deployment: string }) => {
          // The single egress check, immediately before the (simulated) send.
          assertEgressAllowed(policyDecision, { id: target.deployment, tier: tierOf(target.deployment) });
          sent.push(target.deployment);
          const fault = scenario.faults[attempt++ % scenario.faults.length];
          if (fault === 'retryable') throw new UpstreamError('upstream_unavailable', 'down', target.deployment);
          if (fault === 'fatal') throw new UpstreamError('upstream_bad_request', 'bad', target.deployment, { upstreamStatus: 400 });
          return 'ok';
        };
        const chain = scenario.chain.map((deployment) => ({ deployment, model: 'm', weight: 1 }));
        // Retries without waiting: backoff is not what this property is about.
        const noWait = { retry: { max_attempts: 6, base_backoff_ms: 0, max_backoff_ms: 0, max_retry_after_ms: 0 } };
        // Path 1: the real failover dispatcher over the unfiltered chain (a misrouted candidate must be stopped by the guard).
        await resilientDispatch('alias', chain, send, undefined, noWait).catch(() => undefined);
        // Path 2: the intended wiring, filtering first (possibly with a stale idea of tiers) then guarding each send.
        attempt = 0;
        const staleTierOf = (id: string) => (id.endsWith('0') ? 'on-prem' : tierOf(id));
        try {
          await resilientDispatch('alias', allowedTargets(policyDecision, chain, staleTierOf), send, undefined, noWait);
        } catch {
          // Refusals and upstream failures are fine; only what was sent matters.
        }
        // Path 3: a naive retry loop that skips refused targets and keeps going.
        for (const target of chain) await send(target).catch(() => undefined);

        for (const deployment of sent) {
          expect(expected).toBeDefined();
          const tier = tierOf(deployment);
          expect(tier !== undefined && (expected?.tiers as string[]).includes(tier)).toBe(true);
          if (expected?.deployments) expect(expected.deployments).toContain(deployment);
        }
      }),
      { numRuns: 300 },
    );
  });
});
