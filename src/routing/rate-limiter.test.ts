import { describe, expect, it } from 'vitest';
import { bucketCharges, resolveRateLimitRules, tokenCorrections } from './rate-limiter.js';
import { rateLimitsSchema } from './routing-config-schema.js';

const config = rateLimitsSchema.parse({
  per_key: { default: { requests_per_minute: 60 }, overrides: { 'ci-bot': { requests_per_minute: 600, tokens_per_minute: 1_000 }, gold: { requests_per_minute: 6_000 } } },
  per_team: { overrides: { research: { tokens_per_minute: 50_000 } } },
  per_model: { default: { requests_per_minute: 10_000 } },
});

describe('resolveRateLimitRules', () => {
  it('applies the override of the key, else the default, plus team and model limits', () => {
    expect(resolveRateLimitRules(config, { keyId: 'ci-bot', team: 'research', alias: 'chat' })).toEqual([
      { scope: 'key:ci-bot', requestsPerMinute: 600, tokensPerMinute: 1_000 },
      { scope: 'team:research', tokensPerMinute: 50_000 },
      { scope: 'model:chat', requestsPerMinute: 10_000 },
    ]);
    expect(resolveRateLimitRules(config, { keyId: 'someone', team: 'sales' })).toEqual([{ scope: 'key:someone', requestsPerMinute: 60 }]);
  });

  it("picks a virtual key's named limit but keeps the key's own bucket", () => {
    expect(resolveRateLimitRules(config, { keyId: 'vk_123', keyLimitName: 'gold' })).toEqual([{ scope: 'key:vk_123', requestsPerMinute: 6_000 }]);
  });

  it('does not mistake inherited object properties for overrides', () => {
    expect(resolveRateLimitRules(config, { keyId: 'constructor' })).toEqual([{ scope: 'key:constructor', requestsPerMinute: 60 }]);
  });
});

describe('bucket charges', () => {
  it('charges one request and the token estimate, and corrects by the difference', () => {
    const request = { rules: [{ scope: 'key:k', requestsPerMinute: 10, tokensPerMinute: 100 }], estimatedTokens: 40.2 };
    expect(bucketCharges(request).map((charge) => [charge.kind, charge.cost])).toEqual([
      ['requests', 1],
      ['tokens', 41],
    ]);
    expect(tokenCorrections(request, 30).map((charge) => charge.cost)).toEqual([-11]);
    expect(tokenCorrections(request, 41)).toEqual([]);
  });
});
