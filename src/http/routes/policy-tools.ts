import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { toInvalidRequest } from '../../wire/openai/decode-openai-client-request.js';
import { explainInputFrom, explainPolicy, explainRequestSchema, renderExplanation } from '../../policy/explain-policy.js';
import { requireAdminScope } from '../admin-auth.js';
import { guardFor } from '../../pipeline/guard-stage.js';
import { renderGuard } from '../../guard/render-guard.js';
import type { RuntimeHolder } from '../runtime-holder.js';

const scanItem = z.object({ id: z.union([z.string(), z.number()]), text: z.string() }).strict();
const scanBody = z.union([scanItem, z.array(scanItem).min(1).max(1_000)]);

/**
 * `POST /v1/policy/scan` (the `switchyard scan` contract over HTTP) and `POST /v1/policy/explain`.
 * Both need `policy:test`: they reveal what the detectors find, and explain accepts a
 * hypothetical principal.
 */
export function registerPolicyToolRoutes(app: FastifyInstance, holder: RuntimeHolder): void {
  app.post('/v1/policy/scan', async (request) => {
    const runtime = holder.current;
    await requireAdminScope(runtime, request, 'policy:test');
    const parsed = scanBody.safeParse(request.body);
    if (!parsed.success) throw toInvalidRequest(parsed.error);
    const items = Array.isArray(parsed.data) ? parsed.data : [parsed.data];
    const results = await Promise.all(
      items.map(async (item) => {
        const explanation = await explainPolicy(runtime.policy, { text: item.text });
        return {
          id: item.id,
          entities: explanation.entities.map(({ type, start, end, score }) => ({ type, start, end, score })),
          data_class: explanation.dataClass,
        };
      }),
    );
    return Array.isArray(parsed.data) ? results : results[0];
  });

  app.post('/v1/policy/explain', async (request, reply) => {
    const runtime = holder.current;
    await requireAdminScope(runtime, request, 'policy:test');
    const parsed = explainRequestSchema.safeParse(request.body);
    if (!parsed.success) throw toInvalidRequest(parsed.error);
    const explanation = await explainPolicy(runtime.policy, explainInputFrom(parsed.data));
    const guard = await guardFor(runtime).check([{ text: parsed.data.text }], parsed.data.principal?.roles);
    if (request.headers.accept?.includes('text/plain')) {
      return reply.type('text/plain; charset=utf-8').send(`${renderExplanation(explanation, parsed.data.lang)}\n${renderGuard(guard, parsed.data.lang)}`);
    }
    return { ...explanation, guard };
  });
}
