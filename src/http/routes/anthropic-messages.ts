import type { FastifyInstance } from 'fastify';
import { authenticate, runChat } from '../../pipeline/run-pipeline.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import { decodeAnthropicClientRequest } from '../../wire/anthropic/decode-anthropic-client-request.js';
import { createAnthropicStreamEncoder, encodeAnthropicResponse } from '../../wire/anthropic/encode-anthropic-client-response.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import { writeSse } from '../write-sse.js';
import type { RuntimeHolder } from '../runtime-holder.js';

export function registerAnthropicMessagesRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/messages', { config: { dialect: 'anthropic' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, 'anthropic-messages');
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    await authenticate(runtime, context);
    const chatRequest = decodeAnthropicClientRequest(request.body);
    const outcome = await runChat(runtime, context, chatRequest);
    if (outcome.kind === 'response') {
      await finishRequest(runtime, context, 200);
      return reply.headers(routingHeaders(context)).send(encodeAnthropicResponse(outcome.response));
    }
    await writeSse(reply, context, outcome.parts, createAnthropicStreamEncoder(), routingHeaders(context), () => finishRequest(runtime, context, 200));
    return reply;
  });
}
