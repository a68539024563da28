import { hasSubscribers, publish, REQUEST_FINISH } from '../observability/channels.js';
import type { RequestSummary } from '../model/request-summary.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import type { RequestContext } from './request-context.js';
import { summarizeRequest } from './summarize-request.js';

/**
 * Tells observers (metrics, the request log line, tracing, the console rollup) that a call ended;
 * builds nothing when no one listens. The summary is taken now (its duration is the pipeline's),
 * the event goes out on the next tick: every journey calls this just before it returns its
 * reply, and the reply is handed to the socket in the promise continuations that follow, so
 * the log line and the metric updates no longer sit between the answer and the client. Nothing
 * the client holds depends on them (meter → audit already ran, the headers are built).
 */
export function publishFinish(runtime: GatewayRuntime, context: RequestContext, status: number): void {
  if (!hasSubscribers(REQUEST_FINISH)) return;
  process.nextTick(publishSummary, runtime.services, summarizeRequest(context, status));
}

function publishSummary(source: object, summary: RequestSummary): void {
  publish(REQUEST_FINISH, () => ({ source, summary }));
}
