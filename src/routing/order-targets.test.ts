import { describe, expect, it } from 'vitest';
import { orderTargets } from './order-targets.js';

const targets = [
  { deployment: 'a', model: 'm', weight: 3 },
  { deployment: 'b', model: 'm', weight: 1 },
  { deployment: 'standby', model: 'm', weight: 0 },
];

describe('orderTargets', () => {
  it('puts every target in the chain once, zero-weight standby last', () => {
    const ordered = orderTargets(targets, () => 0.5);
    expect(ordered.map((target) => target.deployment).sort()).toEqual(['a', 'b', 'standby']);
    expect(ordered.at(-1)?.deployment).toBe('standby');
  });

  it('draws the first target in proportion to the weights', () => {
    // Draws below 3/4 of the total weight land on 'a', above on 'b'.
    expect(orderTargets(targets, () => 0.74)[0]?.deployment).toBe('a');
    expect(orderTargets(targets, () => 0.76)[0]?.deployment).toBe('b');
  });

  it('converges on the configured split over many draws', () => {
    let first = 0;
    for (let index = 0; index < 4000; index += 1) if (orderTargets(targets)[0]?.deployment === 'a') first += 1;
    expect(first / 4000).toBeGreaterThan(0.7);
    expect(first / 4000).toBeLessThan(0.8);
  });
});
