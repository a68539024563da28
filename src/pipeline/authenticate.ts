import type { Principal } from '../model/principal.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

/**
 * The caller's principal, or a 401. It runs before the body is decoded, so an unauthenticated
 * caller learns nothing about what a valid request looks like.
 */
export async function authenticate(runtime: GatewayRuntime, context: RequestContext): Promise<Principal> {
  if (context.principal) return context.principal;
  // The audit store being down refuses new work up front (fail closed) rather than after the upstream call.
  runtime.services.audit?.assertHealthy();
  const principal = await runtime.identity.authenticator.authenticate({ headers: context.headers, clientAddress: context.clientAddress });
  context.principal = principal;
  return principal;
}
