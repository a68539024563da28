import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { TIERS } from '../../model/tiers.js';
import { GatewayError, InvalidRequestError } from '../../errors/gateway-error.js';
import type { AccessDecision } from '../../identity/access-decision.js';
import type { AccessPolicy } from '../../identity/access-policy.js';
import type { ApiKeyService, CreateApiKeyInput } from '../../identity/api-key-service.js';
import type { ApiKeyRecord } from '../../identity/api-key-store.js';
import { toApiKeyView } from '../../identity/api-key-view.js';
import type { RequestAuthenticator } from '../../identity/composite-authenticator.js';
import { AccessDeniedError } from '../../identity/identity-errors.js';
import type { AdminScope } from '../../identity/identity-config-schema.js';
import type { Principal } from '../../model/principal.js';

/**
 * `/admin/keys`: create (the clear key is in that response only), list, show, revoke, rotate.
 * Callers authenticate like any client (admin-scoped key, OIDC user with an admin role, or the
 * bootstrap admin key) and need `keys:read` or `keys:write`.
 */
export interface AdminKeysDependencies {
  authenticator: RequestAuthenticator;
  policy: AccessPolicy;
  /** Undefined when no key store is configured; the routes then answer 404 with a hint. */
  apiKeys: ApiKeyService | undefined;
  now?: () => number;
  /** Every admin access decision, allowed or denied, for audit. */
  onDecision?: (decision: AccessDecision) => void;
}

const createBody = z
  .object({
    owner: z.string().min(1).max(200),
    name: z.string().min(1).max(200).optional(),
    team: z.string().min(1).max(200).optional(),
    department: z.string().min(1).max(200).optional(),
    roles: z.array(z.string().min(1)).max(50).default([]),
    models: z.array(z.string().min(1)).max(500).optional(),
    tiers: z.array(z.enum(TIERS)).optional(),
    tags: z.record(z.string(), z.string()).default({}),
    expires_at: z.iso.datetime({ offset: true }).optional(),
    expires_in_seconds: z.number().int().positive().optional(),
    budget_ref: z.string().min(1).max(200).optional(),
    rate_limit_ref: z.string().min(1).max(200).optional(),
  })
  .strict()
  .refine((body) => body.expires_at === undefined || body.expires_in_seconds === undefined, {
    message: 'give expires_at or expires_in_seconds, not both',
  });

const rotateBody = z.object({ grace_seconds: z.number().int().min(0).max(30 * 86_400).optional() }).strict();
const listQuery = z
  .object({ owner: z.string().optional(), team: z.string().optional(), include_revoked: z.enum(['true', 'false']).optional() })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.join('.') || null;
  throw new InvalidRequestError(`${param ? `${param}: ` : ''}${issue?.message ?? 'invalid body'}`, param);
}

export function registerAdminKeysRoutes(app: FastifyInstance, dependencies: AdminKeysDependencies | (() => AdminKeysDependencies)): void {
  // A getter lets a config reload swap the store or policy without re-registering routes.
  const current = typeof dependencies === 'function' ? dependencies : () => dependencies;

  async function authorize(request: FastifyRequest, scope: AdminScope): Promise<{ principal: Principal; deps: AdminKeysDependencies; apiKeys: ApiKeyService }> {
    const deps = current();
    const principal = await deps.authenticator.authenticate({ headers: request.headers, clientAddress: request.ip });
    const decision = deps.policy.decide(principal, { adminScope: scope });
    deps.onDecision?.(decision);
    if (!decision.allowed) throw new AccessDeniedError(decision);
    if (!deps.apiKeys) throw new GatewayError('not_found', 'Virtual API keys are not enabled; configure identity.key_store.');
    return { principal, deps, apiKeys: deps.apiKeys };
  }

  const view = (deps: AdminKeysDependencies, record: ApiKeyRecord) => toApiKeyView(record, (deps.now ?? Date.now)());
  const notFound = (id: string) => new GatewayError('not_found', `No API key with id '${id}'.`, { param: 'id' });
  // Responses holding a clear key must not be kept by any cache between here and the admin.
  const secretResponse = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  app.post('/admin/keys', async (request, reply) => {
    const { principal, deps, apiKeys } = await authorize(request, 'keys:write');
    const body = parse(createBody, request.body);
    for (const role of body.roles) {
      if (!deps.policy.isAssignableRole(role)) throw new InvalidRequestError(`roles: unknown role '${role}'`, 'roles');
    }
    // keys:write must not become a way to mint admin scopes the caller does not hold.
    const callerScopes = deps.policy.scopesOf(principal);
    for (const scope of deps.policy.scopesOf({ id: 'new', kind: 'key', roles: body.roles, tags: {} })) {
      if (!callerScopes.has(scope)) throw new GatewayError('access_denied_admin_scope', `You cannot grant the admin scope '${scope}', which you do not hold.`);
    }
    const now = (deps.now ?? Date.now)();
    const input: CreateApiKeyInput = { owner: body.owner, roles: body.roles, tags: body.tags, createdBy: principal.id };
    if (body.name !== undefined) input.name = body.name;
    if (body.team !== undefined) input.team = body.team;
    if (body.department !== undefined) input.department = body.department;
    if (body.models !== undefined) input.models = body.models;
    if (body.tiers !== undefined) input.tiers = body.tiers;
    if (body.budget_ref !== undefined) input.budgetRef = body.budget_ref;
    if (body.rate_limit_ref !== undefined) input.rateLimitRef = body.rate_limit_ref;
    if (body.expires_at !== undefined) input.expiresAt = Date.parse(body.expires_at);
    if (body.expires_in_seconds !== undefined) input.expiresAt = now + body.expires_in_seconds * 1000;
    if (input.expiresAt !== undefined && input.expiresAt <= now) throw new InvalidRequestError('expires_at: must be in the future', 'expires_at');
    const { key, record } = await apiKeys.create(input);
    secretResponse(reply).status(201);
    return { key, ...view(deps, record) };
  });

  app.get('/admin/keys', async (request) => {
    const { deps, apiKeys } = await authorize(request, 'keys:read');
    const query = parse(listQuery, request.query);
    const records = await apiKeys.list({
      ...(query.owner !== undefined ? { owner: query.owner } : {}),
      ...(query.team !== undefined ? { team: query.team } : {}),
      includeRevoked: query.include_revoked === 'true',
    });
    return { object: 'list', data: records.map((record) => view(deps, record)) };
  });

  app.get<{ Params: { id: string } }>('/admin/keys/:id', async (request) => {
    const { deps, apiKeys } = await authorize(request, 'keys:read');
    const record = await apiKeys.get(request.params.id);
    if (!record) throw notFound(request.params.id);
    return view(deps, record);
  });

  app.post<{ Params: { id: string } }>('/admin/keys/:id/revoke', async (request) => {
    const { deps, apiKeys } = await authorize(request, 'keys:write');
    const record = await apiKeys.revoke(request.params.id);
    if (!record) throw notFound(request.params.id);
    return view(deps, record);
  });

  app.post<{ Params: { id: string } }>('/admin/keys/:id/rotate', async (request, reply) => {
    const { deps, apiKeys } = await authorize(request, 'keys:write');
    const body = parse(rotateBody, request.body);
    const existing = await apiKeys.get(request.params.id);
    if (!existing) throw notFound(request.params.id);
    if (existing.revokedAt !== undefined) throw new InvalidRequestError('A revoked key cannot be rotated; create a new one.', 'id');
    const rotated = await apiKeys.rotate(request.params.id, body.grace_seconds === undefined ? {} : { graceMs: body.grace_seconds * 1000 });
    if (!rotated) throw notFound(request.params.id);
    secretResponse(reply);
    return { key: rotated.key, ...view(deps, rotated.record) };
  });
}
