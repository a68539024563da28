import type { PolicyConfig, PolicyRuleConfig } from './policy-config-schema.js';

/**
 * Checks a policy beyond what field types can say. `path` is relative to the `policy:` section
 * (prefix it with `policy` when reporting against the whole config file).
 */
export interface PolicyIssue {
  path: Array<string | number>;
  message: string;
}

function matchConditionCount(rule: PolicyRuleConfig): number {
  return rule.match === undefined ? 0 : Object.values(rule.match).filter((value) => value !== undefined).length;
}

function checkRuleAction(rule: PolicyRuleConfig, path: Array<string | number>, issues: PolicyIssue[]): void {
  const allows = rule.allow_tiers !== undefined || rule.allow_deployments !== undefined;
  const kinds = [allows, rule.deny !== undefined, rule.log_only === true].filter(Boolean).length;
  if (kinds !== 1) {
    issues.push({ path, message: 'a rule needs exactly one action: allow_tiers/allow_deployments, deny, or log_only' });
  }
  if ((rule.mask !== undefined || rule.mask_mode !== undefined) && !allows) {
    issues.push({ path: [...path, 'mask'], message: 'mask only applies to a rule that allows the request' });
  }
  if (rule.mask_mode !== undefined && rule.mask === undefined) {
    issues.push({ path: [...path, 'mask_mode'], message: 'mask_mode needs a mask list' });
  }
}

/** Internal consistency of a parsed policy; the schema runs this, so a parsed policy passes it. */
export function checkPolicyStructure(policy: PolicyConfig): PolicyIssue[] {
  const issues: PolicyIssue[] = [];
  const classes = new Set<string>();
  policy.data_classes.forEach((name, index) => {
    if (classes.has(name)) issues.push({ path: ['data_classes', index], message: `duplicate data class '${name}'` });
    classes.add(name);
  });
  const knownClass = (name: string | undefined, path: Array<string | number>): void => {
    if (name !== undefined && !classes.has(name)) {
      issues.push({ path, message: `unknown data class '${name}' (classes: ${policy.data_classes.join(', ')})` });
    }
  };
  knownClass(policy.default_class, ['default_class']);
  knownClass(policy.unscanned_content_class, ['unscanned_content_class']);
  policy.entity_classes.forEach((entry, index) => knownClass(entry.class, ['entity_classes', index, 'class']));
  policy.keywords.forEach((entry, index) => knownClass(entry.class, ['keywords', index, 'class']));
  for (const [department, name] of Object.entries(policy.departments)) knownClass(name, ['departments', department]);

  const ruleNames = new Set<string>();
  policy.rules.forEach((rule, index) => {
    const path = ['rules', index];
    if (ruleNames.has(rule.name)) issues.push({ path: [...path, 'name'], message: `duplicate rule name '${rule.name}'` });
    ruleNames.add(rule.name);
    checkRuleAction(rule, path, issues);
    rule.match?.data_class?.forEach((name, classIndex) => knownClass(name, [...path, 'match', 'data_class', classIndex]));
    knownClass(rule.match?.data_class_at_least, [...path, 'match', 'data_class_at_least']);
    knownClass(rule.match?.data_class_at_most, [...path, 'match', 'data_class_at_most']);
    if (rule.mask_mode === 'hash' && policy.hash_key === undefined) {
      issues.push({ path: [...path, 'mask_mode'], message: 'mask_mode hash needs policy.hash_key (a secret reference)' });
    }
    const isLast = index === policy.rules.length - 1;
    if (!isLast && matchConditionCount(rule) === 0 && rule.log_only !== true) {
      issues.push({ path, message: `rule '${rule.name}' matches every request, so the rules after it can never apply` });
    }
  });

  // Like a firewall's final policy: every request must end at a decision someone wrote down.
  const last = policy.rules[policy.rules.length - 1];
  if (last === undefined || matchConditionCount(last) !== 0 || last.log_only === true) {
    issues.push({
      path: ['rules', Math.max(0, policy.rules.length - 1)],
      message: 'the last rule must be a default rule: no match conditions, and an allow or deny action',
    });
  }
  return issues;
}

/**
 * Every problem `switchyard config check` should report for a policy: its structure and the
 * deployment ids its rules name.
 */
export function checkPolicy(policy: PolicyConfig, deploymentIds: Iterable<string>): PolicyIssue[] {
  const known = new Set(deploymentIds);
  const issues = checkPolicyStructure(policy);
  policy.rules.forEach((rule, index) => {
    rule.allow_deployments?.forEach((id, idIndex) => {
      if (!known.has(id)) issues.push({ path: ['rules', index, 'allow_deployments', idIndex], message: `unknown deployment '${id}'` });
    });
  });
  return issues;
}
