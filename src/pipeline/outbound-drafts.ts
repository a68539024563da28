import type { ModelAliasConfig } from '../routing/model-alias-schema.js';
import type { OutboundCall } from '../providers/provider-adapter.js';
import type { OutboundRequest } from '../model/outbound-request.js';
import type { GatewayRuntime } from './gateway-runtime.js';

type AliasTarget = ModelAliasConfig['targets'][number];

/**
 * The outbound body every target of the alias would be sent, asked of the target's own adapter
 * before anything is decided, so the policy classifies exactly what can leave — whichever target
 * balancing, retry or failover ends up using. Targets sharing a deployment and model share one.
 */
export interface OutboundDrafts {
  /** Bodies in a fixed order; `indexOf` maps a target into it. */
  outbounds: OutboundRequest[];
  /** The draft index of a target, or the error its adapter raised describing it (e.g. `unsupported_feature`). */
  indexOf(target: AliasTarget): number | Error;
}

export function describeTargets(runtime: GatewayRuntime, targets: readonly AliasTarget[], callFor: (target: AliasTarget) => OutboundCall): OutboundDrafts {
  const outbounds: OutboundRequest[] = [];
  const byKey = new Map<string, number | Error>();
  const keyOf = (target: AliasTarget) => `${target.deployment}\u0000${target.model}`;
  for (const target of targets) {
    const key = keyOf(target);
    if (byKey.has(key)) continue;
    const adapter = runtime.adapters.get(target.deployment);
    if (!adapter) continue;
    try {
      outbounds.push(adapter.describeOutbound(callFor(target)));
      byKey.set(key, outbounds.length - 1);
    } catch (error) {
      byKey.set(key, error instanceof Error ? error : new Error(String(error)));
    }
  }
  return {
    outbounds,
    indexOf: (target) => byKey.get(keyOf(target)) ?? new Error('no outbound body was described for this target'),
  };
}
