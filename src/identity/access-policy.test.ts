import { describe, expect, it } from 'vitest';
import { createAccessPolicy } from './access-policy.js';
import { ADMIN_SCOPES, identityConfigSchema } from './identity-config-schema.js';
import { AccessDeniedError } from './identity-errors.js';
import type { Principal } from '../model/principal.js';

const { roles } = identityConfigSchema.parse({
  roles: {
    intern: { models: ['chat-small'], tiers: ['on-prem'], max_data_class: 'internal' },
    analyst: { models: ['chat-small', 'chat-large'], tiers: ['on-prem', 'private-cloud'], max_data_class: 'confidential', tools: ['search'] },
    'key-admin': { admin_scopes: ['keys:read', 'keys:write'] },
    auditor: { admin_scopes: ['audit:read'] },
    everything: { models: ['*'], tiers: ['*'], max_data_class: 'restricted', tools: ['*'], admin_scopes: ['*'] },
  },
});
const policy = createAccessPolicy(roles);
const who = (roleNames: string[], extra: Partial<Principal> = {}): Principal => ({ id: 'p1', kind: 'user', roles: roleNames, tags: {}, ...extra });
const reason = (principal: Principal, request: Parameters<typeof policy.decide>[1]) => {
  const decision = policy.decide(principal, request);
  return decision.allowed ? 'allowed' : decision.reason;
};

describe('access policy', () => {
  it('allows what a role grants and records which roles granted it', () => {
    const decision = policy.decide(who(['intern']), { model: 'chat-small', tier: 'on-prem', dataClass: 'internal' });
    expect(decision).toMatchObject({ allowed: true, principalId: 'p1', grantedBy: ['intern'] });
  });

  it('denies by default: no roles, unknown roles', () => {
    expect(reason(who([]), { model: 'chat-small' })).toBe('access_denied_model');
    expect(reason(who(['no-such-role']), { model: 'chat-small' })).toBe('access_denied_model');
    expect(reason(who([]), { dataClass: 'public' })).toBe('access_denied_data_class');
  });

  it('refuses a model, tier, data class or tool the roles do not grant, each with its code', () => {
    const intern = who(['intern']);
    expect(reason(intern, { model: 'chat-large' })).toBe('access_denied_model');
    expect(reason(intern, { model: 'chat-small', tier: 'api' })).toBe('access_denied_tier');
    expect(reason(intern, { model: 'chat-small', dataClass: 'restricted' })).toBe('access_denied_data_class');
    expect(reason(intern, { model: 'chat-small', tools: ['search'] })).toBe('access_denied_tool');
  });

  it('unions grants across roles', () => {
    expect(reason(who(['intern', 'analyst']), { model: 'chat-large', tier: 'private-cloud', dataClass: 'confidential', tools: ['search'] })).toBe(
      'allowed',
    );
  });

  it('lets a key narrow, never widen, what its roles grant', () => {
    const narrowed = who(['everything'], { kind: 'key', allowedModels: ['chat-small'], allowedTiers: ['on-prem'] });
    expect(reason(narrowed, { model: 'chat-small', tier: 'on-prem' })).toBe('allowed');
    expect(reason(narrowed, { model: 'chat-large' })).toBe('access_denied_model');
    expect(reason(narrowed, { model: 'chat-small', tier: 'api' })).toBe('access_denied_tier');
    const widened = who(['intern'], { kind: 'key', allowedModels: ['chat-large'] });
    expect(reason(widened, { model: 'chat-large' })).toBe('access_denied_model');
  });

  it('checks admin scopes and expands "*"', () => {
    expect(reason(who(['key-admin']), { adminScope: 'keys:write' })).toBe('allowed');
    expect(reason(who(['key-admin']), { adminScope: 'audit:read' })).toBe('access_denied_admin_scope');
    expect(reason(who(['analyst']), { adminScope: 'keys:read' })).toBe('access_denied_admin_scope');
    expect([...policy.scopesOf(who(['everything']))]).toHaveLength(ADMIN_SCOPES.length);
    expect([...policy.scopesOf(who(['key-admin', 'auditor']))].sort()).toEqual(['audit:read', 'keys:read', 'keys:write']);
  });

  it('enforce throws a 403 carrying the decision for audit', () => {
    try {
      policy.enforce(who(['intern']), { model: 'chat-small', dataClass: 'confidential' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(AccessDeniedError);
      const denied = error as AccessDeniedError;
      expect([denied.status, denied.code]).toEqual([403, 'access_denied_data_class']);
      expect(denied.decision).toMatchObject({ allowed: false, principalId: 'p1', request: { dataClass: 'confidential' } });
    }
  });
});

describe('identity config', () => {
  it('refuses an issuer mapping to an undefined role, naming the path', () => {
    const result = identityConfigSchema.safeParse({
      oidc: { issuers: [{ id: 'entra', issuer: 'https://login.example.test/v2.0', audience: 'api://sy', jwks_uri: 'https://login.example.test/keys', group_roles: { g1: ['ghost'] } }] },
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['oidc', 'issuers', 0, 'group_roles', 'g1']);
  });

  it('refuses the same issuer URL twice', () => {
    const issuer = { issuer: 'https://login.example.test/v2.0', audience: 'a', jwks_uri: 'https://login.example.test/keys' };
    const result = identityConfigSchema.safeParse({ oidc: { issuers: [{ id: 'one', ...issuer }, { id: 'two', ...issuer }] } });
    expect(result.error?.issues.map((issue) => issue.path)).toEqual([['oidc', 'issuers', 1, 'issuer']]);
  });

  it('refuses unknown keys and a plain-text secret', () => {
    expect(identityConfigSchema.safeParse({ colour: 'red' }).success).toBe(false);
    expect(identityConfigSchema.safeParse({ key_store: { secret: 'plain' } }).success).toBe(false);
    expect(identityConfigSchema.safeParse({ key_store: { secret: '${env:SY_KEY_SECRET}' } }).success).toBe(true);
  });
});

describe('renamed data classes and cross-references', () => {
  it('ranks data classes by the list the policy section gives, unknown requests as highest', () => {
    const { roles: custom } = identityConfigSchema.parse({ roles: { staff: { models: ['*'], max_data_class: 'secret' } } });
    const renamed = createAccessPolicy(custom, { dataClasses: ['open', 'secret', 'top-secret'] });
    const staff = who(['staff']);
    expect(renamed.decide(staff, { dataClass: 'secret' }).allowed).toBe(true);
    expect(renamed.decide(staff, { dataClass: 'top-secret' }).allowed).toBe(false);
    expect(renamed.decide(staff, { dataClass: 'mystery' }).allowed).toBe(false);
  });

  it('reports role grants naming unknown aliases, tiers, data classes, and keys naming unknown roles', async () => {
    const { checkIdentityReferences } = await import('./check-identity-references.js');
    const issues = checkIdentityReferences(
      {
        models: [{ alias: 'chat' }],
        auth: { keys: [{ id: 'k', roles: ['analyst', 'ghost'] }] },
        identity: { roles: { analyst: { models: ['chat', 'gpt-9'], tiers: ['on-prem', 'moon'], max_data_class: 'ultra' } } },
      },
      { tiers: ['api', 'private-cloud', 'on-prem'], dataClasses: ['public', 'internal', 'confidential', 'restricted'] },
    );
    expect(issues).toEqual([
      { path: ['identity', 'roles', 'analyst', 'models', 1], message: "unknown model alias 'gpt-9'" },
      { path: ['identity', 'roles', 'analyst', 'tiers', 1], message: "unknown tier 'moon'" },
      { path: ['identity', 'roles', 'analyst', 'max_data_class'], message: "unknown data class 'ultra'" },
      { path: ['auth', 'keys', 0, 'roles', 1], message: "unknown role 'ghost'" },
    ]);
  });
});
