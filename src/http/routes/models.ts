import type { FastifyInstance } from 'fastify';
import { authenticate, visibleAliases } from '../../pipeline/run-pipeline.js';
import { createRequestContext } from '../request-context.js';
import type { RuntimeHolder } from '../runtime-holder.js';

/** Lists the aliases the caller may use — in Anthropic's shape when an Anthropic client asks. */
export function registerModelsRoute(app: FastifyInstance, holder: RuntimeHolder, startedAt: number): void {
  app.get('/v1/models', async (request, reply) => {
    const context = createRequestContext(request, reply, 'openai-chat');
    request.pipelineContext = context;
    const principal = await authenticate(holder.current, context);
    const aliases = visibleAliases(holder.current, principal);
    const created = Math.floor(startedAt / 1000);
    if (request.headers['anthropic-version'] !== undefined) {
      const data = aliases.map((alias) => ({
        type: 'model',
        id: alias.alias,
        display_name: alias.description ?? alias.alias,
        created_at: new Date(startedAt).toISOString(),
      }));
      return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
    }
    return {
      object: 'list',
      data: aliases.map((alias) => ({ id: alias.alias, object: 'model', created, owned_by: 'switchyard' })),
    };
  });
}
