import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { GatewayError } from '../errors/gateway-error.js';
import type { GatewayRuntime } from '../pipeline/gateway-runtime.js';
import type { RequestContext } from '../pipeline/run-pipeline.js';
import { maxHeaderSize } from 'node:http';
import { dialectOf, errorHandler, serializeError } from './error-handler.js';
import { createClientErrorHandler } from './client-error-response.js';
import { trackRouteMethods } from './route-methods.js';
import { finishRequest } from '../pipeline/finish-request.js';
import { requestIdFrom } from './request-context.js';
import type { RuntimeHolder } from './runtime-holder.js';
import { registerAnthropicMessagesRoute } from './routes/anthropic-messages.js';
import { registerAnthropicCountTokensRoute } from './routes/anthropic-count-tokens.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerModelsRoute } from './routes/models.js';
import { registerOpenAIChatRoute } from './routes/openai-chat.js';
import { registerOpenAIEmbeddingsRoute } from './routes/openai-embeddings.js';
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
import type { GracefulDrain } from './graceful-drain.js';

declare module 'fastify' {
  interface FastifyRequest {
    pipelineContext?: RequestContext;
    /** The runtime this request started on (kept through a config reload). */
    pipelineRuntime?: GatewayRuntime;
  }
}

/** Called once per finished request (metrics, audit); must not throw or block. */
export type RequestObserver = (context: RequestContext | undefined, status: number, route: string | undefined) => void;

export interface AppDependencies {
  runtime: GatewayRuntime;
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

export interface GatewayApp {
  app: FastifyInstance;
  holder: RuntimeHolder;
}

/** The HTTP app without listen(), so tests can inject requests. */
export function buildApp(dependencies: AppDependencies): GatewayApp {
  const holder: RuntimeHolder = { current: dependencies.runtime };
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
  dependencies.drain?.register(app);
  const metrics = dependencies.metrics;
  const observers = [...(dependencies.observers ?? []), ...(metrics ? [createMetricsObserver(metrics)] : [])];
  if (metrics) {
    const inFlight = createInFlightTracker(metrics);
    app.addHook('onRequest', async (_request, reply) => inFlight.track(reply.raw));
    registerMetricsRoute(app, metrics);
  }
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
    reply.status(error.status).send(serializeError(error, path.startsWith('/v1/messages') ? 'anthropic' : dialectOf(request)));
  });

  // One log line per request: who, which alias, where it went, how it ended. Never content.
  app.addHook('onResponse', async (request, reply) => {
    const context = request.pipelineContext;
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url,
        status: reply.statusCode,
        latency_ms: Math.round(reply.elapsedTime * 100) / 100,
        principal: context?.principal?.id,
        alias: context?.alias,
        deployment: context?.deployment,
        tier: context?.tier,
        data_class: context?.policy?.dataClass,
        rule: context?.policy?.rule,
        // Served: the failed tries plus the one that answered; refused after trying: the error's trail.
        attempts: context?.deployment ? context.failedAttempts.length + 1 : (context?.error?.attempts?.length ?? context?.failedAttempts.length),
        stream_completed: context?.stream?.completed,
        stream_error: context?.stream?.error?.code,
        error: context?.error?.code,
      },
      'request',
    );
    for (const observe of observers) observe(context, reply.statusCode, request.routeOptions.url);
    // A client that went away mid-stream never reached the normal end: audit it now.
    const runtime = request.pipelineRuntime;
    if (context && runtime && !context.finished) {
      await finishRequest(runtime, context, reply.statusCode).catch((error: unknown) => request.log.error({ err: error }, 'audit write failed'));
    }
    for (const finish of context?.onFinish ?? []) {
      await Promise.resolve(finish()).catch((error: unknown) => request.log.warn({ err: error }, 'end-of-request task failed'));
    }
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  registerHealthRoutes(app, holder, dependencies.readinessChecks ?? []);
  registerModelsRoute(app, holder, Date.now());
  registerOpenAIChatRoute(app, holder);
  registerOpenAIEmbeddingsRoute(app, holder);
  registerAnthropicMessagesRoute(app, holder);
  registerAnthropicCountTokensRoute(app, holder);
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
