import type { FastifyInstance } from 'fastify';
import { authenticate, runEmbeddings } from '../../pipeline/run-pipeline.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import { openAIEmbeddingsDialect as dialect } from '../../wire/openai/openai-embeddings-dialect.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import type { RuntimeHolder } from '../runtime-holder.js';

export function registerOpenAIEmbeddingsRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/embeddings', { config: { dialect: 'openai' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, dialect.id);
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    await authenticate(runtime, context);
    const decoded = dialect.decode(request.body);
    const response = await runEmbeddings(runtime, context, decoded.request);
    await finishRequest(runtime, context, 200);
    return reply.headers(routingHeaders(context)).send(dialect.encodeResponse(response, decoded.options));
  });
}
