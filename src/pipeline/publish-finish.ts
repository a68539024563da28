import { hasSubscribers, publish, REQUEST_FINISH } from '../observability/channels.js';
import type { RequestSummary } from '../model/request-summary.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';
import { summarizeRequest } from './summarize-request.js';

/**
 * Tells observers (metrics, the request log line, tracing, the console rollup) that a call ended;
 * builds nothing when no one listens. Published synchronously, before the reply goes to the
 * socket, so an observer sees the event before the client sees the answer. A deferral to the next
 * tick (5366492) was meant to take the log line and metric updates off the c=1 path; in
 * same-round A/Bs on the shared 2-core machine it showed no gain that stood out of the noise
 * (per-round CPU ratios 0.6-1.8) and it sat in the merge a bisect pointed at for a pure-proxy
 * regression (BENCHMARKS.md, "Stop 27"), so the simpler order is back.
 */
export function publishFinish(runtime: GatewayRuntime, context: RequestContext, status: number): void {
  if (!hasSubscribers(REQUEST_FINISH)) return;
  publishSummary(runtime.services, summarizeRequest(context, status));
}

function publishSummary(source: object, summary: RequestSummary): void {
  publish(REQUEST_FINISH, () => ({ source, summary }));
}
