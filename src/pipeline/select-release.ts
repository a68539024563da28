import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import { AccessDeniedError } from '../identity/identity-errors.js';
import type { Principal } from '../model/principal.js';
import { applyRelease, type ReleaseFacts } from '../releases/apply-release.js';
import type { ChatRequest } from '../model/chat-request.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';

/** Header naming a release to serve this request (evaluation of a candidate); needs `releases:evaluate`. */
export const RELEASE_PIN_HEADER = 'x-switchyard-release';

function pinFrom(headers: RequestContext['headers']): string | undefined {
  const value = headers[RELEASE_PIN_HEADER];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text.trim() === '' ? undefined : text.trim();
}

/**
 * Chooses the release that serves this request (pinned, canary or production) and applies it:
 * pinned targets, tool allow-list, rendered template. Before policy, so the policy scans the
 * rendered prompt and routing only sees the release's targets.
 */
export async function selectRelease(
  runtime: GatewayRuntime,
  context: RequestContext,
  principal: Principal,
  alias: ModelAliasConfig,
  request: ChatRequest,
): Promise<{ alias: ModelAliasConfig; request: ChatRequest }> {
  const pin = pinFrom(context.headers);
  if (pin !== undefined) {
    // Pinning bypasses the rollout: only principals trusted to evaluate candidates may do it.
    const decision = runtime.identity.policy.decide(principal, { adminScope: 'releases:evaluate' });
    if (!decision.allowed) throw new AccessDeniedError(decision);
  }
  const choice = await runtime.services.releases.choose(
    { userId: request.user ?? principal.id, department: principal.department, team: principal.team, roles: principal.roles },
    pin,
  );
  const { template, ...plain } = request;
  const served = applyRelease(choice, alias, plain, template);
  context.release = served.facts;
  return { alias: served.alias, request: served.request };
}

/** The audit record's release fields. */
export function releaseAuditFacts(facts: ReleaseFacts): { configVersion: string; promptTemplateVersion?: string; knowledgeBase?: string } {
  return {
    configVersion: facts.releaseId,
    ...(facts.template ? { promptTemplateVersion: facts.template } : {}),
    ...(facts.knowledgeBase ? { knowledgeBase: facts.knowledgeBase } : {}),
  };
}
