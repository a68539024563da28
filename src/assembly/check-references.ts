/**
 * Cross-reference checks the schema cannot express (unique ids, targets naming deployments
 * that exist). They run on the raw document even when the schema already failed, so one
 * `config check` reports every problem. Written defensively: the input may be any shape.
 */
import { checkIdentityReferences } from '../identity/check-identity-references.js';
import { DEFAULT_DATA_CLASSES } from '../model/data-classes.js';
import { TIERS } from '../model/tiers.js';
import { findProvider } from '../providers/provider-list.js';
import { requiresBaseUrl } from '../providers/provider-definition.js';

export interface ReferenceIssue {
  path: Array<string | number>;
  message: string;
}

type Loose = Record<string, unknown>;

function list(value: unknown): Loose[] {
  return Array.isArray(value) ? value.map((item) => (item !== null && typeof item === 'object' ? (item as Loose) : {})) : [];
}

function uniqueIds(items: Loose[], field: string, path: string[], label: string, issues: ReferenceIssue[]): Set<string> {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    const id = item[field];
    if (typeof id !== 'string') return;
    if (seen.has(id)) issues.push({ path: [...path, index, field], message: `duplicate ${label} '${id}'` });
    seen.add(id);
  });
  return seen;
}

export function checkReferences(raw: unknown): ReferenceIssue[] {
  const issues: ReferenceIssue[] = [];
  const root = raw !== null && typeof raw === 'object' ? (raw as Loose) : {};
  const deployments = list(root.deployments);
  const deploymentIds = uniqueIds(deployments, 'id', ['deployments'], 'deployment id', issues);
  deployments.forEach((deployment, index) => {
    const provider = deployment.provider;
    // Providers with a public default endpoint (Anthropic, Gemini) or no network (mock) need none.
    const definition = typeof provider === 'string' ? findProvider(provider) : undefined;
    if (definition !== undefined && requiresBaseUrl(definition) && deployment.base_url === undefined) {
      issues.push({ path: ['deployments', index, 'provider'], message: `provider '${provider}' needs a base_url` });
    }
  });
  const models = list(root.models);
  uniqueIds(models, 'alias', ['models'], 'alias', issues);
  models.forEach((model, index) => {
    list(model.targets).forEach((target, targetIndex) => {
      const deployment = target.deployment;
      if (typeof deployment === 'string' && !deploymentIds.has(deployment)) {
        issues.push({ path: ['models', index, 'targets', targetIndex, 'deployment'], message: `unknown deployment '${deployment}'` });
      }
    });
  });
  const auth = root.auth !== null && typeof root.auth === 'object' ? (root.auth as Loose) : {};
  uniqueIds(list(auth.keys), 'id', ['auth', 'keys'], 'key id', issues);
  const policy = root.policy !== null && typeof root.policy === 'object' ? (root.policy as Loose) : {};
  const dataClasses = Array.isArray(policy.data_classes) ? policy.data_classes.filter((name): name is string => typeof name === 'string') : [...DEFAULT_DATA_CLASSES];
  issues.push(...checkIdentityReferences(raw, { tiers: TIERS, dataClasses }));
  return issues;
}
