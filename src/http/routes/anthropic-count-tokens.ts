import type { FastifyInstance } from 'fastify';
import { authenticate } from '../../pipeline/run-pipeline.js';
import { runCountTokens } from '../../pipeline/run-count-tokens.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import { anthropicCountTokensDialect as dialect } from '../../wire/anthropic/anthropic-count-tokens-dialect.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import type { RuntimeHolder } from '../runtime-holder.js';

/** Says who counted: the provider (`upstream`) or the gateway's tokenizer (`estimated`). */
export const TOKEN_COUNT_HEADER = 'x-switchyard-token-count';

/** Anthropic's POST /v1/messages/count_tokens (SDK `messages.countTokens`). */
export function registerAnthropicCountTokensRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/messages/count_tokens', { config: { dialect: 'anthropic' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, dialect.id);
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    await authenticate(runtime, context);
    const decoded = dialect.decode(request.body);
    const count = await runCountTokens(runtime, context, decoded.request);
    await finishRequest(runtime, context, 200);
    return reply.headers({ ...routingHeaders(context), [TOKEN_COUNT_HEADER]: count.source }).send(dialect.encodeResponse(count, decoded.options));
  });
}
