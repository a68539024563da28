import type { FastifyRequest } from 'fastify';
import type { AdminScope } from '../identity/identity-config-schema.js';
import { AccessDeniedError } from '../identity/identity-errors.js';
import type { Principal } from '../model/principal.js';
import type { GatewayRuntime } from '../pipeline/gateway-runtime.js';

/**
 * Authenticates an admin call like any request and requires one admin scope. Admin scopes are
 * granted only by roles (or the bootstrap admin key), never by default: roles not configured
 * means only the bootstrap key can administer.
 */
export async function requireAdminScope(runtime: GatewayRuntime, request: FastifyRequest, scope: AdminScope): Promise<Principal> {
  const principal = await runtime.identity.authenticator.authenticate({ headers: request.headers, clientAddress: request.ip });
  const decision = runtime.identity.policy.decide(principal, { adminScope: scope });
  if (!decision.allowed) throw new AccessDeniedError(decision);
  return principal;
}
