import type { FastifyInstance } from 'fastify';
import { authenticate, runChat } from '../../pipeline/run-pipeline.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import { decodeOpenAIClientChatRequest } from '../../wire/openai/decode-openai-client-request.js';
import { createOpenAIStreamEncoder, encodeOpenAIChatResponse } from '../../wire/openai/encode-openai-client-response.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import { writeSse } from '../write-sse.js';
import { templateRequestFrom } from '../../releases/template-request.js';
import type { RuntimeHolder } from '../runtime-holder.js';

export function registerOpenAIChatRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/chat/completions', { config: { dialect: 'openai' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, 'openai-chat');
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    await authenticate(runtime, context);
    const { request: decoded, clientWantsUsage } = decodeOpenAIClientChatRequest(request.body);
    const template = templateRequestFrom(request.body);
    const chatRequest = template ? { ...decoded, template } : decoded;
    const outcome = await runChat(runtime, context, chatRequest);
    if (outcome.kind === 'response') {
      await finishRequest(runtime, context, 200);
      return reply.headers(routingHeaders(context)).send(encodeOpenAIChatResponse(outcome.response));
    }
    await writeSse(reply, context, outcome.parts, createOpenAIStreamEncoder({ includeUsage: clientWantsUsage }), routingHeaders(context), () => finishRequest(runtime, context, 200));
    return reply;
  });
}
