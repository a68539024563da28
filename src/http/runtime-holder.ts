import type { GatewayRuntime } from '../pipeline/gateway-runtime.js';

/**
 * The runtime in force. A request reads `current` once at its start and keeps that object,
 * so a config reload swaps the holder without disturbing requests already in flight.
 */
export interface RuntimeHolder<R extends GatewayRuntime = GatewayRuntime> {
  current: R;
}
