import type { FastifyInstance } from 'fastify';
import { authenticate } from '../../pipeline/run-pipeline.js';
import { runCountTokens } from '../../pipeline/run-count-tokens.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import { decodeAnthropicCountTokensRequest } from '../../wire/anthropic/decode-anthropic-client-request.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import type { RuntimeHolder } from '../runtime-holder.js';

/** Says who counted: the provider (`upstream`) or the gateway's tokenizer (`estimated`). */
export const TOKEN_COUNT_HEADER = 'x-switchyard-token-count';

/** Anthropic's POST /v1/messages/count_tokens (SDK `messages.countTokens`): `{ "input_tokens": N }`. */
export function registerAnthropicCountTokensRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/messages/count_tokens', { config: { dialect: 'anthropic' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, 'anthropic-count-tokens');
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    await authenticate(runtime, context);
    const count = await runCountTokens(runtime, context, decodeAnthropicCountTokensRequest(request.body));
    await finishRequest(runtime, context, 200);
    return reply.headers({ ...routingHeaders(context), [TOKEN_COUNT_HEADER]: count.source }).send({ input_tokens: count.inputTokens });
  });
}
