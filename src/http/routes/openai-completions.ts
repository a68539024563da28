import type { FastifyInstance } from 'fastify';
import { authenticate, runChat } from '../../pipeline/run-pipeline.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import { openAICompletionsDialect as dialect } from '../../wire/openai/openai-completions-dialect.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import { writeSse } from '../write-sse.js';
import type { RuntimeHolder } from '../runtime-holder.js';

/** POST /v1/completions (legacy) through the chat pipeline: the prompt is one user message. */
export function registerOpenAICompletionsRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/completions', { config: { dialect: 'openai' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, dialect.id);
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    await authenticate(runtime, context);
    const { request: chatRequest, options } = dialect.decode(request.body);
    const outcome = await runChat(runtime, context, chatRequest);
    if (outcome.kind === 'response') {
      await finishRequest(runtime, context, 200);
      return reply.headers(routingHeaders(context)).send(dialect.encodeResponse(outcome.response, options));
    }
    await writeSse(reply, context, outcome.parts, dialect.encodeStream(options), routingHeaders(context), () => finishRequest(runtime, context, 200));
    return reply;
  });
}
