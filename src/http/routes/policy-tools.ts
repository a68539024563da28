import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { InvalidRequestError } from '../../errors/gateway-error.js';
import { toInvalidRequest } from '../../wire/openai/decode-openai-client-request.js';
import { explainInputFrom, explainPolicy, explainRequestSchema, renderExplanation } from '../../policy/explain-policy.js';
import { requireAdminScope } from '../admin-auth.js';
import { guardFor } from '../../pipeline/guard-stage.js';
import { renderGuard } from '../../guard/render-guard.js';
import type { RuntimeHolder } from '../runtime-holder.js';

const scanItem = z.object({ id: z.union([z.string(), z.number()]), text: z.string() }).strict();
const scanList = z.array(scanItem).min(1).max(1_000);
const scanBody = z.union([scanItem, scanList]);

const SCAN_BODY_SHAPE = 'Send {"id": "1", "text": "…"} or an array of 1 to 1000 such objects (docs/policy.md, "Scanning over HTTP").';

/** Names every wrong field and shows the body shape: a union's own message says only "body". */
export function scanBodyError(body: unknown): InvalidRequestError {
  if (body === null || typeof body !== 'object') return new InvalidRequestError(`The body must be a JSON object or an array. ${SCAN_BODY_SHAPE}`);
  const issues = (Array.isArray(body) ? scanList : scanItem).safeParse(body).error?.issues ?? [];
  const valueAt = (path: readonly PropertyKey[]) =>
    path.reduce<unknown>((value, segment) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[segment] : undefined), body);
  const problems: string[] = [];
  let param: string | null = null;
  for (const issue of issues.slice(0, 5)) {
    const path = issue.path.map(String).join('.');
    param ??= path || null;
    if (issue.code === 'unrecognized_keys') {
      problems.push(`unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => `'${path ? `${path}.` : ''}${key}'`).join(', ')}`);
    } else if (issue.code === 'invalid_type' && valueAt(issue.path) === undefined) {
      problems.push(`missing field '${path}'`);
    } else {
      problems.push(`invalid value for '${path || 'body'}': ${issue.message}`);
    }
  }
  const text = problems.length > 0 ? problems.join('; ') : 'invalid body';
  return new InvalidRequestError(`${text.charAt(0).toUpperCase()}${text.slice(1)}. ${SCAN_BODY_SHAPE}`, param);
}

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
    if (!parsed.success) throw scanBodyError(request.body);
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
