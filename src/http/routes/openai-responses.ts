import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.js';
import { responseChainOf } from '../../pipeline/responses-session.js';
import { findStored, storeDisabled } from '../../responses/response-chain.js';
import { openAIResponsesDialect } from '../../wire/openai-responses/openai-responses-dialect.js';
import type { RuntimeHolder } from '../runtime-holder.js';

async function principalOf(holder: RuntimeHolder, request: FastifyRequest) {
  return holder.current.identity.authenticator.authenticate({ headers: request.headers, clientAddress: request.ip });
}

/**
 * GET and DELETE /v1/responses/{id}: the caller's own stored responses (POST /v1/responses is a
 * row of the route table). Another principal's id answers exactly like a missing one.
 */
export function registerStoredResponsesRoutes(app: FastifyInstance, holder: RuntimeHolder): void {
  const config = { dialect: openAIResponsesDialect };
  app.get<{ Params: { id: string }; Querystring: { stream?: string } }>('/v1/responses/:id', { config }, async (request, reply) => {
    const principal = await principalOf(holder, request);
    if (request.query.stream === 'true') {
      throw new GatewayError('unsupported_feature', 'Replaying a stored response as a stream is not supported; retrieve it without stream=true.', { param: 'stream' });
    }
    const stored = await findStored(responseChainOf(holder.current), request.params.id, principal.id, null);
    return reply.send(stored.content.response);
  });

  app.delete<{ Params: { id: string } }>('/v1/responses/:id', { config }, async (request, reply) => {
    const principal = await principalOf(holder, request);
    const chain = responseChainOf(holder.current);
    if (!chain.store) throw storeDisabled('Deleting a stored response');
    const deleted = await chain.store.delete(request.params.id, principal.id);
    if (!deleted) throw new GatewayError('response_not_found', `No stored response '${request.params.id}' for this caller.`);
    return reply.send({ id: request.params.id, object: 'response', deleted: true });
  });
}
