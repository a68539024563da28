import type { FastifyInstance } from 'fastify';
import { runModels } from '../../pipeline/run-models.js';
import type { RuntimeHolder } from '../runtime-holder.js';
import { inboundCall, sendReply } from '../serve-call.js';

/** Lists the aliases the caller may use — in Anthropic's shape when an Anthropic client asks. */
export function registerModelsRoute(app: FastifyInstance, holder: RuntimeHolder, startedAt: number): void {
  app.get('/v1/models', async (request, reply) => sendReply(request, reply, await runModels(holder.current, inboundCall(request, reply), startedAt)));
}
