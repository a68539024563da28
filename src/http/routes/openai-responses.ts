import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.js';
import type { CanonicalMessage } from '../../model/chat-message.js';
import { authenticate, runChat } from '../../pipeline/run-pipeline.js';
import { finishRequest } from '../../pipeline/finish-request.js';
import type { GatewayRuntime } from '../../pipeline/gateway-runtime.js';
import type { RequestContext } from '../../pipeline/request-context.js';
import { findStored, loadEarlierTurns, saveResponse, storeDisabled, type ResponseChain } from '../../responses/response-chain.js';
import { createSqlResponseStore } from '../../storage/sql/sql-response-store.js';
import { assembleResponsesChat, outputItemsToMessages } from '../../wire/openai-responses/decode-responses-request.js';
import { createOpenAIResponsesDialect } from '../../wire/openai-responses/openai-responses-dialect.js';
import { createRequestContext, routingHeaders } from '../request-context.js';
import { writeSse } from '../write-sse.js';
import type { RuntimeHolder } from '../runtime-holder.js';

/** Ids like OpenAI's: a prefix and 48 hex characters (192 random bits: unguessable, so ids leak nothing). */
const newId = (prefix: string) => `${prefix}_${randomBytes(24).toString('hex')}`;
const dialect = createOpenAIResponsesDialect({ newId, now: () => Math.floor(Date.now() / 1000) });

function chainOf(runtime: GatewayRuntime): ResponseChain {
  const settings = runtime.loaded.config.responses.store;
  return {
    store: settings.enabled ? createSqlResponseStore(runtime.services.storage.executor) : undefined,
    retentionHours: settings.retention_hours,
    now: () => Date.now(),
  };
}

/** The audit's capture mode for the request's data class; with no audit, nothing may be kept. */
function captureMode(runtime: GatewayRuntime, context: RequestContext) {
  return runtime.services.audit?.captureModeFor(context.policy?.dataClass) ?? 'none';
}

async function principalOf(holder: RuntimeHolder, request: FastifyRequest) {
  return holder.current.identity.authenticator.authenticate({ headers: request.headers, clientAddress: request.ip });
}

/**
 * POST /v1/responses through the same pipeline as chat (authenticate → policy on exactly what
 * leaves → guard → routing → metering → audit); GET and DELETE /v1/responses/{id} on the
 * caller's own stored responses. Storage is docs/responses-api.md#what-is-stored.
 */
export function registerOpenAIResponsesRoutes(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/responses', { config: { dialect: 'openai' } }, async (request, reply) => {
    const context = createRequestContext(request, reply, dialect.id);
    request.pipelineContext = context;
    const runtime = holder.current;
    request.pipelineRuntime = runtime;
    const principal = await authenticate(runtime, context);
    const { request: decoded, options } = dialect.decode(request.body);
    const chain = chainOf(runtime);
    const previousId = options.decoded.previousResponseId;
    if (previousId !== null && !chain.store) throw storeDisabled('previous_response_id');
    const earlier: CanonicalMessage[] = previousId !== null ? await loadEarlierTurns(chain, previousId, principal.id) : [];
    const chatRequest = previousId !== null ? assembleResponsesChat(options.decoded, earlier) : decoded;
    const outcome = await runChat(runtime, context, chatRequest);

    const storing = options.decoded.store && chain.store !== undefined;
    const mode = captureMode(runtime, context);
    const dataClass = context.policy?.dataClass ?? 'unknown';
    options.head.store = storing && mode === 'full';
    const save = (response: Record<string, unknown>, output: readonly Record<string, unknown>[]) =>
      storing
        ? saveResponse(chain, {
            id: options.head.id,
            principalId: principal.id,
            dataClass,
            mode,
            conversation: [...earlier, ...options.decoded.turn, ...outputItemsToMessages(output)],
            response,
          })
        : Promise.resolve();

    if (outcome.kind === 'response') {
      const body = dialect.encodeResponse(outcome.response, options) as Record<string, unknown>;
      await save(body, body.output as Record<string, unknown>[]);
      await finishRequest(runtime, context, 200);
      return reply.headers(routingHeaders(context)).send(body);
    }
    const encoder = dialect.encodeStream(options);
    await writeSse(reply, context, outcome.parts, encoder, routingHeaders(context), async () => {
      // A broken stream is audited as incomplete and never stored.
      if (context.stream?.completed && !context.stream.error) {
        const { response, output } = encoder.complete();
        await save(response, output);
      }
      await finishRequest(runtime, context, 200);
    });
    return reply;
  });

  app.get<{ Params: { id: string }; Querystring: { stream?: string } }>('/v1/responses/:id', { config: { dialect: 'openai' } }, async (request, reply) => {
    const principal = await principalOf(holder, request);
    if (request.query.stream === 'true') {
      throw new GatewayError('unsupported_feature', 'Replaying a stored response as a stream is not supported; retrieve it without stream=true.', { param: 'stream' });
    }
    const stored = await findStored(chainOf(holder.current), request.params.id, principal.id, null);
    return reply.send(stored.content.response);
  });

  app.delete<{ Params: { id: string } }>('/v1/responses/:id', { config: { dialect: 'openai' } }, async (request, reply) => {
    const principal = await principalOf(holder, request);
    const chain = chainOf(holder.current);
    if (!chain.store) throw storeDisabled('Deleting a stored response');
    const deleted = await chain.store.delete(request.params.id, principal.id);
    if (!deleted) throw new GatewayError('response_not_found', `No stored response '${request.params.id}' for this caller.`);
    return reply.send({ id: request.params.id, object: 'response', deleted: true });
  });
}
