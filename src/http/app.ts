import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayRuntime } from '../pipeline/gateway-runtime.js';
import type { RequestSummary } from '../model/request-summary.js';
import { runCall } from '../pipeline/run-call.js';
import { maxHeaderSize } from 'node:http';
import { dialectOf, errorHandler } from './error-handler.js';
import { createClientErrorHandler } from './client-error-response.js';
import { trackRouteMethods } from './route-methods.js';
import { requestIdFrom } from './request-id.js';
import type { RuntimeHolder } from './runtime-holder.js';
import { API_ROUTES, dialectForPath } from './api-routes.js';
import { inboundCall, sendReply } from './serve-call.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerModelsRoute } from './routes/models.js';
import { registerStoredResponsesRoutes } from './routes/openai-responses.js';
import { registerAdminAuditSpendRoutes } from './routes/admin-audit-spend.js';
import { registerAdminConfigRoutes } from './routes/admin-config.js';
import { registerAdminKeysRoutes } from './routes/admin-keys.js';
import { registerAdminReleaseRoutes } from './routes/admin-releases.js';
import { registerPolicyToolRoutes } from './routes/policy-tools.js';
import { registerPolicyGuardRoute } from './routes/policy-guard.js';
import { registerFeedbackRoute } from './routes/feedback.js';
import { registerMetricsRoute } from './routes/metrics.js';
import { registerLimitedJsonParser } from './limited-json-parser.js';
import { createMemoryFeedbackSink, type FeedbackSink } from '../observability/feedback-sink.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { createInFlightTracker, createMetricsObserver } from '../observability/metrics-observer.js';
import { REQUEST_FINISH, subscribe } from '../observability/channels.js';
import { logRequest } from '../observability/request-log.js';
import type { GracefulDrain } from './graceful-drain.js';

/**
 * Called once per finished request (metrics): with the pipeline's summary for model API calls
 * (from `switchyard:request:finish`), without one for everything else. Must not throw or block.
 */
export type RequestObserver = (summary: RequestSummary | undefined, status: number, route: string | undefined) => void;

export interface AppDependencies<R extends GatewayRuntime = GatewayRuntime> {
  runtime: R;
  logger: Logger;
  readinessChecks?: Array<() => Promise<void>>;
  observers?: RequestObserver[];
  /** Re-reads and swaps the config (POST /admin/config/reload); absent in tests without a file. */
  reload?: () => Promise<void>;
  /** Prometheus metrics: GET /metrics, the in-flight gauge and the per-request observer. */
  metrics?: GatewayMetrics;
  /** Where POST /v1/feedback ratings go (default: a bounded in-memory sink). */
  feedbackSink?: FeedbackSink;
  /** SIGTERM drain (in-flight count, refusal after the grace); absent in tests that never stop. */
  drain?: GracefulDrain;
}

export interface GatewayApp<R extends GatewayRuntime = GatewayRuntime> {
  app: FastifyInstance;
  holder: RuntimeHolder<R>;
}

/** The HTTP app without listen(), so tests can inject requests. */
export function buildApp<R extends GatewayRuntime>(dependencies: AppDependencies<R>): GatewayApp<R> {
  const holder: RuntimeHolder<R> = { current: dependencies.runtime };
  const { server } = dependencies.runtime.loaded.config;
  const app = Fastify({
    loggerInstance: dependencies.logger as FastifyBaseLogger,
    // Our own one-line-per-request log replaces fastify's two (see onResponse below).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    bodyLimit: server.body_limit_bytes,
    trustProxy: server.trust_proxy,
    genReqId: (request) => requestIdFrom({ headers: request.headers } as Parameters<typeof requestIdFrom>[0]),
    return503OnClosing: true,
    clientErrorHandler: createClientErrorHandler(maxHeaderSize),
  });
  const routeMethods = trackRouteMethods(app);

  // Only JSON bodies: a text/plain body would otherwise reach the decoders as a string.
  app.removeContentTypeParser('text/plain');
  registerLimitedJsonParser(app, () => holder.current.loaded.config.server.input_limits);
  app.setErrorHandler(errorHandler);
  const metrics = dependencies.metrics;
  const observers = [...(dependencies.observers ?? []), ...(metrics ? [createMetricsObserver(metrics)] : [])];
  // Every response carries the request id. Set when the request arrives (first, so the drain's
  // refusal has it too), not in an onSend hook: with no onSend hook at all fastify skips its
  // onSend runner on every reply. Nothing later removes it (an error reply keeps the headers set);
  // the pipeline's routing headers repeat the same value. Callback-style hooks here and below:
  // they run on every request, and an async hook costs a promise and a microtask turn each.
  const inFlight = metrics ? createInFlightTracker(metrics) : undefined;
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    inFlight?.track(reply.raw);
    done();
  });
  dependencies.drain?.register(app);
  if (metrics) registerMetricsRoute(app, metrics);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const methods = routeMethods.allowedFor(path);
    // HEAD comes with every GET; the message names the methods a client means.
    const allowed = methods.includes('GET') ? methods.filter((method) => method !== 'HEAD') : methods;
    const error =
      allowed.length > 0
        ? new GatewayError('method_not_allowed', `${request.method} is not allowed on ${path}; use ${allowed.join(' or ')}.`)
        : new GatewayError('not_found', `Unknown route ${request.method} ${path}. The API is under /v1 (e.g. POST /v1/chat/completions); see the README's endpoint table.`);
    if (allowed.length > 0) reply.header('allow', methods.join(', '));
    reply.status(error.status).send((path.startsWith('/v1/') ? dialectForPath(path) : dialectOf(request)).encodeError(error));
  });

  // One log line and one metrics update per request. Model API calls are reported by the
  // pipeline on `switchyard:request:finish` (after meter → audit); everything else here.
  const unsubscribe = subscribe(REQUEST_FINISH, ({ source, summary }) => {
    if (source !== dependencies.runtime.services) return;
    logRequest(dependencies.logger, summary);
    for (const observe of observers) observe(summary, summary.status, summary.route);
  });
  app.addHook('onClose', async () => unsubscribe());
  app.addHook('onResponse', (request, reply, done) => {
    if (!request.servedByPipeline) {
      logRequest(request.log, { method: request.method, route: request.routeOptions.url, status: reply.statusCode, durationMs: reply.elapsedTime });
      for (const observe of observers) observe(undefined, reply.statusCode, request.routeOptions.url);
    }
    const tasks = request.afterResponse;
    if (tasks === undefined) return done();
    void runAfterResponse(request, tasks).then(() => done());
  });

  registerHealthRoutes(app, holder, dependencies.readinessChecks ?? []);
  registerModelsRoute(app, holder, Date.now());
  // The model APIs: one row each in the route table; the pipeline runs the call, http only adapts.
  for (const route of API_ROUTES) {
    app.route({
      method: route.method,
      url: route.url,
      config: { dialect: route.dialect },
      handler: async (request, reply) => sendReply(request, reply, await runCall(holder.current, inboundCall(request, reply), route.dialect, route.session)),
    });
  }
  registerStoredResponsesRoutes(app, holder);
  registerPolicyToolRoutes(app, holder);
  registerPolicyGuardRoute(app, holder);
  registerFeedbackRoute(app, {
    authenticate: (headers, clientAddress) => holder.current.identity.authenticator.authenticate({ headers, clientAddress }),
    sink: dependencies.feedbackSink ?? createMemoryFeedbackSink(),
    ...(metrics ? { metrics } : {}),
  });
  registerAdminKeysRoutes(app, () => ({
    authenticator: holder.current.identity.authenticator,
    policy: holder.current.identity.policy,
    apiKeys: holder.current.identity.apiKeys,
  }));
  registerAdminAuditSpendRoutes(app, holder);
  registerAdminConfigRoutes(app, holder, dependencies.reload);
  registerAdminReleaseRoutes(app, holder);
  return { app, holder };
}

/** End-of-request work, one task after another; a failing task is logged, never thrown. */
async function runAfterResponse(request: FastifyRequest, tasks: ReadonlyArray<() => Promise<void> | void>): Promise<void> {
  for (const task of tasks) {
    await Promise.resolve()
      .then(task)
      .catch((error: unknown) => request.log.warn({ err: error }, 'end-of-request task failed'));
  }
}
