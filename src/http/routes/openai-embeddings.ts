import type { FastifyInstance } from 'fastify';
import { authenticate, runEmbeddings } from '../../pipeline/run-pipeline.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import { decodeOpenAIClientEmbeddingRequest } from '../../wire/openai/decode-openai-client-request.js';
import { encodeOpenAIEmbeddingResponse } from '../../wire/openai/encode-openai-client-response.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import type { RuntimeHolder } from '../runtime-holder.js';

export function registerOpenAIEmbeddingsRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/embeddings', { config: { dialect: 'openai' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, 'openai-embeddings');
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    await authenticate(runtime, context);
    const { request: embeddingRequest, encodingFormat } = decodeOpenAIClientEmbeddingRequest(request.body);
    const response = await runEmbeddings(runtime, context, embeddingRequest);
    await finishRequest(runtime, context, 200);
    return reply.headers(routingHeaders(context)).send(encodeOpenAIEmbeddingResponse(response, encodingFormat));
  });
}
