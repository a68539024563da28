import { TIERS } from '../model/tiers.js';
import type { Principal } from '../model/principal.js';
import { createDataClassOrder, type DataClassOrder } from '../model/data-classes.js';
import type { PolicyConfig, PolicyRuleConfig, RuleMatch } from './policy-config-schema.js';
import type { ClassReason, LoggedRule, PolicyDecision, SkippedRule } from './policy-decision.js';

/**
 * Ordered routing rules, evaluated top to bottom like a firewall: the first allow or deny rule
 * whose conditions all hold decides; `log_only` rules record a match and evaluation goes on.
 * The schema guarantees a final rule without conditions, so every request gets a decision.
 */

/** What rules can match on besides the text: the classification and who/what is asking. */
export interface RuleSubject {
  dataClass: string;
  entities: Record<string, number>;
  scanFailed: boolean;
  /** Images and binary parts the gateway could not scan. */
  unscannedContent?: number;
  classReasons?: ClassReason[];
  principal?: Pick<Principal, 'id' | 'department' | 'roles'>;
  /** The model alias the client asked for. */
  model?: string;
  /** Request tags (e.g. the principal's tags merged with request-supplied ones). */
  tags?: Record<string, string>;
}

type MatchResult = { matched: true; reason: string } | { matched: false; why: string };

function anyOf(values: readonly string[]): string {
  return values.length === 1 ? `${values[0]}` : `one of ${values.join(', ')}`;
}

/** Each condition returns the reason it held, or why it did not. Order = order of evaluation. */
function conditionChecks(match: RuleMatch, subject: RuleSubject, order: DataClassOrder): Array<() => MatchResult> {
  const checks: Array<() => MatchResult> = [];
  const check = (holds: boolean, reason: string, why: string) => (): MatchResult => (holds ? { matched: true, reason } : { matched: false, why });
  const { dataClass } = subject;
  const principal = subject.principal;
  if (match.data_class) {
    checks.push(check(match.data_class.includes(dataClass), `data class is ${dataClass}`, `data class ${dataClass} is not ${anyOf(match.data_class)}`));
  }
  if (match.data_class_at_least) {
    const floor = match.data_class_at_least;
    checks.push(check(order.atLeast(dataClass, floor), `data class ${dataClass} ≥ ${floor}`, `data class ${dataClass} is below ${floor}`));
  }
  if (match.data_class_at_most) {
    const ceiling = match.data_class_at_most;
    checks.push(check(order.atMost(dataClass, ceiling), `data class ${dataClass} ≤ ${ceiling}`, `data class ${dataClass} is above ${ceiling}`));
  }
  if (match.entities) {
    const present = match.entities.filter((type) => (subject.entities[type] ?? 0) > 0);
    checks.push(check(present.length > 0, `entities present: ${present.join(', ')}`, `no ${anyOf(match.entities)} detected`));
  }
  if (match.has_unscanned_content !== undefined) {
    const count = subject.unscannedContent ?? 0;
    const want = match.has_unscanned_content;
    checks.push(check((count > 0) === want, want ? `${count} unscanned part(s)` : 'no unscanned content', want ? 'no unscanned content' : `${count} unscanned part(s)`));
  }
  if (match.department) {
    const department = principal?.department;
    checks.push(
      check(department !== undefined && match.department.includes(department), `department is ${department}`, `department ${department ?? '(none)'} is not ${anyOf(match.department)}`),
    );
  }
  if (match.role) {
    const held = match.role.filter((role) => principal?.roles.includes(role) ?? false);
    checks.push(check(held.length > 0, `has role ${held.join(', ')}`, `principal has no role ${anyOf(match.role)}`));
  }
  if (match.user) {
    const id = principal?.id;
    checks.push(check(id !== undefined && match.user.includes(id), `user is ${id}`, `user ${id ?? '(anonymous)'} is not ${anyOf(match.user)}`));
  }
  if (match.model) {
    const model = subject.model;
    checks.push(check(model !== undefined && match.model.includes(model), `model is ${model}`, `model ${model ?? '(none)'} is not ${anyOf(match.model)}`));
  }
  for (const [key, expected] of Object.entries(match.tags ?? {})) {
    const wanted = Array.isArray(expected) ? expected : [expected];
    const actual = subject.tags?.[key];
    checks.push(check(actual !== undefined && wanted.includes(actual), `tag ${key}=${actual}`, `tag ${key} is ${actual ?? '(unset)'}, not ${anyOf(wanted)}`));
  }
  return checks;
}

/** Whether every condition of the rule holds; the first failing one explains a miss. */
export function matchRule(rule: PolicyRuleConfig, subject: RuleSubject, order: DataClassOrder): MatchResult {
  const reasons: string[] = [];
  for (const check of conditionChecks(rule.match ?? {}, subject, order)) {
    const result = check();
    if (!result.matched) return result;
    reasons.push(result.reason);
  }
  return { matched: true, reason: reasons.length === 0 ? 'default rule (no conditions)' : reasons.join('; ') };
}

function baseDecision(subject: RuleSubject): Pick<PolicyDecision, 'dataClass' | 'classReasons' | 'entities' | 'scanFailed' | 'unscannedContent'> {
  return {
    dataClass: subject.dataClass,
    classReasons: subject.classReasons ?? [],
    entities: { ...subject.entities },
    scanFailed: subject.scanFailed,
    unscannedContent: subject.unscannedContent ?? 0,
  };
}

function decideWith(rule: PolicyRuleConfig, reason: string, subject: RuleSubject, skipped: SkippedRule[], logged: LoggedRule[]): PolicyDecision {
  const common = { ...baseDecision(subject), rule: rule.name, reason, skipped, logged };
  if (rule.deny !== undefined) {
    return { ...common, action: 'deny', denyMessage: rule.deny, allowedTiers: [], mask: { types: [], mode: 'reversible' } };
  }
  const decision: PolicyDecision = {
    ...common,
    action: 'allow',
    // A rule naming only deployments leaves tiers open; the deployment list is then the limit.
    allowedTiers: rule.allow_tiers ? [...rule.allow_tiers] : [...TIERS],
    mask: { types: rule.mask ? [...rule.mask] : [], mode: rule.mask_mode ?? 'reversible' },
  };
  if (rule.allow_deployments) decision.allowedDeployments = [...rule.allow_deployments];
  return decision;
}

/** Evaluates the rules for one classified request. */
export function decidePolicy(policy: PolicyConfig, subject: RuleSubject): PolicyDecision {
  if (subject.scanFailed && policy.scan.on_failure === 'deny') {
    return {
      ...baseDecision(subject),
      rule: 'scan-failure',
      reason: 'the request could not be scanned and policy.scan.on_failure is deny',
      action: 'deny',
      denyMessage: 'The request could not be checked for sensitive data, so it was not sent.',
      allowedTiers: [],
      mask: { types: [], mode: 'reversible' },
      skipped: [],
      logged: [],
    };
  }
  const order = createDataClassOrder(policy.data_classes);
  const skipped: SkippedRule[] = [];
  const logged: LoggedRule[] = [];
  for (const rule of policy.rules) {
    const result = matchRule(rule, subject, order);
    if (!result.matched) {
      skipped.push({ rule: rule.name, why: result.why });
      continue;
    }
    if (rule.log_only) {
      logged.push({ rule: rule.name, reason: result.reason });
      continue;
    }
    return decideWith(rule, result.reason, subject, skipped, logged);
  }
  // Unreachable for a parsed policy (the last rule matches everything); deny rather than guess.
  return {
    ...baseDecision(subject),
    rule: 'no-rule-matched',
    reason: 'no rule matched',
    action: 'deny',
    denyMessage: 'No policy rule allows this request.',
    allowedTiers: [],
    mask: { types: [], mode: 'reversible' },
    skipped,
    logged,
  };
}

/** The decision when the policy is switched off: everything allowed, nothing masked. */
export function policyDisabledDecision(): PolicyDecision {
  return {
    rule: 'policy-disabled',
    reason: 'policy.enabled is false',
    action: 'allow',
    dataClass: 'unclassified',
    classReasons: [],
    entities: {},
    scanFailed: false,
    unscannedContent: 0,
    allowedTiers: [...TIERS],
    mask: { types: [], mode: 'reversible' },
    skipped: [],
    logged: [],
  };
}
