import type { AccessDecision, AccessDenialCode, AccessRequest } from './access-decision.js';
import { AccessDeniedError } from './identity-errors.js';
import { ADMIN_SCOPES, type AdminScope, type RoleGrant } from './identity-config-schema.js';
import { DEFAULT_DATA_CLASSES } from '../model/data-classes.js';
import type { Principal } from '../model/principal.js';

/**
 * Role-based access: roles grant model aliases, tiers, a maximum data class, tool names and
 * admin scopes. Grants are the union over the principal's roles; anything no role grants is
 * denied. A key's own `models`/`tiers` lists can only narrow what its roles grant, never widen it.
 */
export interface AccessPolicy {
  /** The decision without throwing; audit stores it whichever way it went. */
  decide(principal: Principal, request: AccessRequest): AccessDecision;
  /** The decision, or an AccessDeniedError (403 with the specific code) carrying it. */
  enforce(principal: Principal, request: AccessRequest): AccessDecision & { allowed: true };
  scopesOf(principal: Principal): Set<AdminScope>;
  /** True for a role defined in config (the reserved bootstrap role is not assignable). */
  isAssignableRole(role: string): boolean;
}

/** Role given to the bootstrap admin key: every admin scope, no model access. */
export const BOOTSTRAP_ADMIN_ROLE = 'switchyard:bootstrap-admin';

export interface AccessPolicyOptions {
  /** Data classes lowest first; pass the policy section's list when it renames or extends them. */
  dataClasses?: readonly string[];
}

const grants = (list: readonly string[], item: string): boolean => list.includes('*') || list.includes(item);

export function createAccessPolicy(roles: Record<string, RoleGrant>, options: AccessPolicyOptions = {}): AccessPolicy {
  const classes: readonly string[] = options.dataClasses ?? DEFAULT_DATA_CLASSES;
  // An unknown requested class ranks highest (fail closed); a role without one gets the lowest.
  const requestedRank = (name: string): number => (classes.includes(name) ? classes.indexOf(name) : classes.length - 1);
  const grantedRank = (grant: RoleGrant): number => (grant.max_data_class === undefined ? 0 : classes.indexOf(grant.max_data_class));
  const table = new Map<string, RoleGrant>(Object.entries(roles));
  table.set(BOOTSTRAP_ADMIN_ROLE, { models: [], tiers: [], tools: [], admin_scopes: ['*'] });

  const rolesOf = (principal: Principal): Array<[string, RoleGrant]> =>
    principal.roles.flatMap((name) => {
      const grant = table.get(name);
      return grant ? [[name, grant] as [string, RoleGrant]] : [];
    });

  const decide = (principal: Principal, request: AccessRequest): AccessDecision => {
    const held = rolesOf(principal);
    const grantedBy = new Set<string>();
    const base = { principalId: principal.id, roles: principal.roles, request };
    const deny = (reason: AccessDenialCode, message: string): AccessDecision => ({ allowed: false, ...base, reason, message });
    /** Roles granting `item` in one dimension; records them for the decision. */
    const granting = (pick: (grant: RoleGrant) => readonly string[], item: string): boolean => {
      const names = held.filter(([, grant]) => grants(pick(grant), item)).map(([name]) => name);
      for (const name of names) grantedBy.add(name);
      return names.length > 0;
    };

    if (request.model !== undefined) {
      const keyAllows = principal.allowedModels?.includes(request.model) ?? true;
      if (!keyAllows || !granting((grant) => grant.models, request.model)) {
        return deny('access_denied_model', `You may not use the model '${request.model}'.`);
      }
    }
    if (request.tier !== undefined) {
      const keyAllows = principal.allowedTiers?.includes(request.tier) ?? true;
      if (!keyAllows || !granting((grant) => grant.tiers, request.tier)) {
        return deny('access_denied_tier', `You may not use deployments of the '${request.tier}' tier.`);
      }
    }
    if (request.dataClass !== undefined) {
      const wanted = requestedRank(request.dataClass);
      const enough = held.filter(([, grant]) => grantedRank(grant) >= wanted).map(([name]) => name);
      if (enough.length === 0) return deny('access_denied_data_class', `You may not send '${request.dataClass}' data.`);
      for (const name of enough) grantedBy.add(name);
    }
    for (const tool of request.tools ?? []) {
      if (!granting((grant) => grant.tools, tool)) return deny('access_denied_tool', `You may not call the tool '${tool}'.`);
    }
    if (request.adminScope !== undefined && !granting((grant) => grant.admin_scopes, request.adminScope)) {
      return deny('access_denied_admin_scope', `This needs the admin scope '${request.adminScope}'.`);
    }
    return { allowed: true, ...base, grantedBy: [...grantedBy].sort() };
  };

  return {
    decide,
    enforce(principal, request) {
      const decision = decide(principal, request);
      if (!decision.allowed) throw new AccessDeniedError(decision);
      return decision;
    },
    isAssignableRole: (role) => role !== BOOTSTRAP_ADMIN_ROLE && table.has(role),
    scopesOf(principal) {
      const scopes = new Set<AdminScope>();
      for (const [, grant] of rolesOf(principal)) {
        for (const scope of grant.admin_scopes) {
          if (scope === '*') ADMIN_SCOPES.forEach((each) => scopes.add(each));
          else scopes.add(scope);
        }
      }
      return scopes;
    },
  };
}
