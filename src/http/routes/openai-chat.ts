import type { FastifyInstance } from 'fastify';
import { authenticate, runChat } from '../../pipeline/run-pipeline.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import { openAIChatDialect as dialect } from '../../wire/openai/openai-chat-dialect.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import { writeSse } from '../write-sse.js';
import type { RuntimeHolder } from '../runtime-holder.js';

export function registerOpenAIChatRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/chat/completions', { config: { dialect: 'openai' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, dialect.id);
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    await authenticate(runtime, context);
    const decoded = dialect.decode(request.body);
    const outcome = await runChat(runtime, context, decoded.request);
    if (outcome.kind === 'response') {
      await finishRequest(runtime, context, 200);
      return reply.headers(routingHeaders(context)).send(dialect.encodeResponse(outcome.response, decoded.options));
    }
    await writeSse(reply, context, outcome.parts, dialect.encodeStream(decoded.options), routingHeaders(context), () => finishRequest(runtime, context, 200));
    return reply;
  });
}
