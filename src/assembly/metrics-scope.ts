import type { SwitchyardConfig } from './config-schema.js';
import type { MetricsScope } from '../observability/metrics.js';

/**
 * The label values a loaded config allows (see label-domain.ts): aliases, deployments and
 * tiers, departments named anywhere in the config (static keys, policy, budgets), data
 * classes, rule names, entity types (class mappings and custom detectors) and budget ids.
 * Departments that only arrive in OIDC claims are exported as `other` unless the config names
 * them somewhere — a token cannot create series.
 */
export function metricsScopeFromConfig(config: SwitchyardConfig): MetricsScope {
  const departments = new Set<string>();
  for (const key of config.auth.keys) if (key.department) departments.add(key.department);
  for (const department of Object.keys(config.policy.departments)) departments.add(department);
  for (const budget of config.metering.budgets) if (budget.scope.department) departments.add(budget.scope.department);
  const entityTypes = new Set<string>(config.policy.entity_classes.map((entry) => entry.entity));
  for (const detector of config.policy.detectors.custom) entityTypes.add(detector.entity);
  for (const rule of config.policy.rules) for (const entity of rule.mask ?? []) entityTypes.add(entity);
  return {
    models: config.models,
    deployments: config.deployments,
    departments: [...departments],
    dataClasses: config.policy.data_classes,
    policyRules: config.policy.rules.map((rule) => rule.name),
    entityTypes: [...entityTypes],
    budgets: config.metering.budgets.map((budget) => budget.id),
  };
}
