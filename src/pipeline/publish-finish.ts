import { publish, REQUEST_FINISH } from '../observability/channels.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';
import { summarizeRequest } from './summarize-request.js';

/** Tells observers (metrics, the request log line, tracing) that a call ended; builds nothing when no one listens. */
export function publishFinish(runtime: GatewayRuntime, context: RequestContext, status: number): void {
  publish(REQUEST_FINISH, () => ({ source: runtime.services, summary: summarizeRequest(context, status) }));
}
