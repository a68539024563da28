import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { guardItemSchema, toGuardOutput } from '../../guard/guard-wire.js';
import { guardFor } from '../../pipeline/guard-stage.js';
import { toInvalidRequest } from '../../wire/openai/decode-openai-client-request.js';
import { requireAdminScope } from '../admin-auth.js';
import type { RuntimeHolder } from '../runtime-holder.js';

const guardBody = z.union([guardItemSchema, z.array(guardItemSchema).min(1).max(1_000)]);

/**
 * `POST /v1/policy/guard`: the `switchyard guard` contract over HTTP, with the running config's
 * guard. Admin-scoped (`policy:test`) like scan and explain: it tells a caller exactly how to
 * phrase an attack that passes.
 */
export function registerPolicyGuardRoute(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/policy/guard', async (request) => {
    const runtime = holder.current;
    await requireAdminScope(runtime, request, 'policy:test');
    const parsed = guardBody.safeParse(request.body);
    if (!parsed.success) throw toInvalidRequest(parsed.error);
    const guard = guardFor(runtime);
    const items = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    const results = await Promise.all(items.map(async (item) => toGuardOutput(item.id, await guard.check([{ text: item.text }]))));
    return Array.isArray(parsed.data) ? results : results[0];
  });
}
