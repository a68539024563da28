import { rateLimitedError, rateLimitHeaders } from '../routing/rate-limit-headers.js';
import { resolveRateLimitRules } from '../routing/rate-limiter.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

/**
 * Admits the request against its key, team and alias limits, or refuses it with a 429. The
 * reservation settles to the real token count after the response.
 */
export async function admit(runtime: GatewayRuntime, context: RequestContext, estimatedTokens: number): Promise<void> {
  const principal = context.principal;
  const rules = resolveRateLimitRules(runtime.loaded.config.rate_limits, { keyId: principal?.id, team: principal?.team, alias: context.alias });
  if (rules.length === 0) return;
  const decision = await runtime.services.limiter.check({ rules, estimatedTokens });
  context.responseHeaders = { ...context.responseHeaders, ...rateLimitHeaders(decision) };
  if (!decision.allowed) throw rateLimitedError(decision);
  if (decision.reservation) {
    const reservation = decision.reservation;
    context.afterResponse(() => runtime.services.limiter.settle(reservation, (context.usage?.inputTokens ?? 0) + (context.usage?.outputTokens ?? 0)));
  }
}
