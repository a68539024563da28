import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import { ModelNotFoundError, WrongModelTypeError } from '../errors/gateway-error.js';
import { authorizeModelRequest } from '../identity/authorize-request.js';
import type { Principal } from '../model/principal.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

function keyAllows(principal: Principal, alias: string): boolean {
  return principal.allowedModels?.includes(alias) ?? true;
}

/** Aliases the principal may use (GET /v1/models). */
export function visibleAliases(runtime: GatewayRuntime, principal: Principal): ModelAliasConfig[] {
  return [...runtime.aliases.values()].filter(
    (alias) => keyAllows(principal, alias.alias) && (!runtime.rolesEnforced || runtime.identity.policy.decide(principal, { model: alias.alias }).allowed),
  );
}

/** The configured alias the client named, recorded on the context (what was asked for, even when it does not exist). */
export function resolveAlias(runtime: GatewayRuntime, context: RequestContext, principal: Principal, name: string, type: 'chat' | 'embedding'): ModelAliasConfig {
  context.alias = name;
  const alias = runtime.aliases.get(name);
  // An alias the key may not use is reported exactly like one that does not exist.
  if (!alias || !keyAllows(principal, name)) throw new ModelNotFoundError(name);
  if (alias.type !== type) throw new WrongModelTypeError(name, alias.type);
  context.alias = alias.alias;
  return alias;
}

/**
 * Role-based access, once roles are configured: may this principal use the alias, send data of
 * this class, call these tools? A refusal is a 403 with a specific code (and is audited).
 */
export function authorize(runtime: GatewayRuntime, principal: Principal, alias: string, dataClass: string, tools: string[] | undefined): void {
  if (!runtime.rolesEnforced) return;
  authorizeModelRequest(runtime.identity.policy, principal, { model: alias, dataClass, ...(tools ? { tools } : {}) });
}
