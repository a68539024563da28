/**
 * Cross-references the identity section with the rest of the config: role grants naming
 * tiers, data classes or model aliases that do not exist, and config keys naming undefined
 * roles. Like assembly/check-references.ts it reads the raw document defensively, so
 * `config check` can report these together with schema problems.
 */
export interface IdentityReferenceIssue {
  path: Array<string | number>;
  message: string;
}

export interface KnownNames {
  tiers: readonly string[];
  dataClasses: readonly string[];
}

type Loose = Record<string, unknown>;
const object = (value: unknown): Loose => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

export function checkIdentityReferences(raw: unknown, known: KnownNames): IdentityReferenceIssue[] {
  const issues: IdentityReferenceIssue[] = [];
  const root = object(raw);
  const roles = object(object(root.identity).roles);
  const aliases = new Set(
    (Array.isArray(root.models) ? root.models : []).map((model) => object(model).alias).filter((alias): alias is string => typeof alias === 'string'),
  );

  for (const [name, rawGrant] of Object.entries(roles)) {
    const grant = object(rawGrant);
    const path = ['identity', 'roles', name];
    strings(grant.models).forEach((model, index) => {
      if (model !== '*' && !aliases.has(model)) issues.push({ path: [...path, 'models', index], message: `unknown model alias '${model}'` });
    });
    strings(grant.tiers).forEach((tier, index) => {
      if (tier !== '*' && !known.tiers.includes(tier)) issues.push({ path: [...path, 'tiers', index], message: `unknown tier '${tier}'` });
    });
    if (typeof grant.max_data_class === 'string' && !known.dataClasses.includes(grant.max_data_class)) {
      issues.push({ path: [...path, 'max_data_class'], message: `unknown data class '${grant.max_data_class}'` });
    }
  }

  // Only when roles are defined: a config without an identity section keeps its old keys working.
  if (Object.keys(roles).length > 0) {
    const keys = Array.isArray(object(root.auth).keys) ? (object(root.auth).keys as unknown[]) : [];
    keys.forEach((key, keyIndex) => {
      strings(object(key).roles).forEach((role, roleIndex) => {
        if (!(role in roles)) issues.push({ path: ['auth', 'keys', keyIndex, 'roles', roleIndex], message: `unknown role '${role}'` });
      });
    });
  }
  return issues;
}
