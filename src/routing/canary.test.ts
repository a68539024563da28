import { describe, expect, it } from 'vitest';
import { assignVariant, splitByVariant, stickyDraw } from './canary.js';
import { canarySchema } from './routing-config-schema.js';

const tenPercent = canarySchema.parse({ variant: 'canary', percent: 10 });

describe('assignVariant', () => {
  it('sends 10% of 2,000 users to the canary, within 4 binomial sigmas', () => {
    let canary = 0;
    for (let user = 0; user < 2_000; user++) {
      if (assignVariant('chat', tenPercent, { userId: `user-${user}` }).variant === 'canary') canary += 1;
    }
    // n = 2000, p = 0.1: mean 200, sigma = sqrt(2000 × 0.1 × 0.9) ≈ 13.4 → [146, 254].
    const sigma = Math.sqrt(2_000 * 0.1 * 0.9);
    expect(Math.abs(canary - 200)).toBeLessThanOrEqual(4 * sigma);
  });

  it('splits anonymous requests per request with the same share', () => {
    let canary = 0;
    let seed = 42;
    // A small deterministic LCG, so the test cannot flake.
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let request = 0; request < 2_000; request++) {
      if (assignVariant('chat', tenPercent, {}, random).variant === 'canary') canary += 1;
    }
    expect(Math.abs(canary - 200)).toBeLessThanOrEqual(4 * Math.sqrt(2_000 * 0.1 * 0.9));
  });

  it('keeps each user on one variant across requests (sticky)', () => {
    for (let user = 0; user < 200; user++) {
      const first = assignVariant('chat', tenPercent, { userId: `u${user}` }, Math.random).variant;
      for (let repeat = 0; repeat < 5; repeat++) expect(assignVariant('chat', tenPercent, { userId: `u${user}` }, Math.random).variant).toBe(first);
    }
  });

  it('only moves users from stable to canary when the percentage grows', () => {
    const twentyPercent = { ...tenPercent, percent: 20 };
    for (let user = 0; user < 500; user++) {
      if (assignVariant('chat', tenPercent, { userId: `u${user}` }).variant === 'canary') {
        expect(assignVariant('chat', twentyPercent, { userId: `u${user}` }).variant).toBe('canary');
      }
    }
  });

  it('always sends cohorts (department, role, named users) to the canary', () => {
    const cohorts = canarySchema.parse({ percent: 0, departments: ['research'], roles: ['beta-tester'], users: ['alice'] });
    expect(assignVariant('chat', cohorts, { department: 'research' })).toEqual({ variant: 'canary', reason: 'cohort' });
    expect(assignVariant('chat', cohorts, { roles: ['staff', 'beta-tester'] }).variant).toBe('canary');
    expect(assignVariant('chat', cohorts, { userId: 'alice' }).variant).toBe('canary');
    expect(assignVariant('chat', cohorts, { userId: 'bob', department: 'sales' })).toEqual({ variant: 'stable', reason: 'default' });
  });

  it('draws differently per alias and salt, so canaries of two aliases do not hit the same users', () => {
    expect(stickyDraw('\u0000chat\u0000u1')).not.toBe(stickyDraw('\u0000embed\u0000u1'));
    expect(stickyDraw('x')).toBeGreaterThanOrEqual(0);
    expect(stickyDraw('x')).toBeLessThan(1);
  });
});

describe('splitByVariant', () => {
  const targets = [
    { deployment: 'old', model: 'm', weight: 1 },
    { deployment: 'new', model: 'm2', weight: 1, variant: 'canary' },
  ];

  it('puts the assigned variant first and the other as fallback', () => {
    const canary = splitByVariant(targets, 'canary', tenPercent);
    expect([canary.preferred.map((t) => t.deployment), canary.fallback.map((t) => t.deployment)]).toEqual([['new'], ['old']]);
    const stable = splitByVariant(targets, 'stable', tenPercent);
    expect([stable.preferred.map((t) => t.deployment), stable.fallback.map((t) => t.deployment)]).toEqual([['old'], ['new']]);
  });
});
