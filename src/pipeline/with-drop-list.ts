import type { ChatRequest } from '../model/chat-request.js';
import type { ModelAliasConfig } from '../routing/model-alias-schema.js';

/**
 * The alias's `drop_unsupported` travels with the request to the adapters' encoders (never
 * upstream): a feature listed there may be left out by a target that cannot honour it; any other
 * is refused with `unsupported_parameter` (see plan-targets.ts honouringTargets).
 */
export function withDropList(alias: Pick<ModelAliasConfig, 'drop_unsupported'>, request: ChatRequest): ChatRequest {
  const drop = alias.drop_unsupported ?? [];
  return drop.length === 0 ? request : { ...request, dropUnsupported: drop };
}
