import { describe, expect, it } from 'vitest';
import { selectTargets, weightedOrder } from './select-target.js';
import { createTargetStats } from './target-stats.js';

const target = (deployment: string, weight = 1, priority = 0) => ({ deployment, model: 'm', weight, priority });
const names = (targets: ReadonlyArray<{ deployment: string }>) => targets.map((item) => item.deployment);

function sequence(values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}

describe('selectTargets', () => {
  it('draws the first choice in proportion to the weights', () => {
    const targets = [target('a', 3), target('b', 1)];
    let random = 0;
    const firsts = { a: 0, b: 0 };
    for (let draw = 0; draw < 1_000; draw++) {
      random = (random + 0.618_033_988_75) % 1;
      const value = random;
      const first = selectTargets(targets, { random: () => value }).ordered[0]?.deployment as 'a' | 'b';
      firsts[first] += 1;
    }
    expect(firsts.a).toBeGreaterThan(700);
    expect(firsts.a).toBeLessThan(800);
  });

  it('keeps zero-weight targets last, as standby', () => {
    expect(names(weightedOrder([target('standby', 0), target('a'), target('b')], () => 0.99))).toEqual(['b', 'a', 'standby']);
  });

  it('never offers a target the policy check refuses, and says why it was left out', () => {
    const selection = selectTargets([target('public'), target('onprem')], { isAllowed: (candidate) => candidate.deployment !== 'public' });
    expect(names(selection.ordered)).toEqual(['onprem']);
    expect(selection.excluded.map((entry) => `${entry.target.deployment}:${entry.reason}`)).toEqual(['public:not_allowed']);
  });

  it('leaves out deployments that are not available (open circuit, failed health check)', () => {
    const selection = selectTargets([target('a'), target('b')], { isAvailable: (deployment) => deployment === 'b' });
    expect(names(selection.ordered)).toEqual(['b']);
    expect(selection.excluded[0]?.reason).toBe('unavailable');
  });

  it('priority: tries the whole primary group before the secondary', () => {
    const targets = [target('secondary', 10, 1), target('primary-1', 1, 0), target('primary-2', 1, 0)];
    for (const value of [0, 0.5, 0.99]) {
      const ordered = names(selectTargets(targets, { strategy: 'priority', random: () => value }).ordered);
      expect(ordered[2]).toBe('secondary');
    }
  });

  it('least-in-flight: prefers the deployment with the fewest calls in flight per weight', () => {
    const stats = createTargetStats();
    stats.begin('a');
    stats.begin('a');
    stats.begin('b');
    const ordered = selectTargets([target('a', 1), target('b', 1), target('c', 1)], { strategy: 'least-in-flight', stats, random: sequence([0]) }).ordered;
    expect(names(ordered)).toEqual(['c', 'b', 'a']);
    // Three times the weight takes three times the load before it looks as busy: 2/3 < 1/1.
    const weighted = selectTargets([target('b', 1), target('a', 3)], { strategy: 'least-in-flight', stats, random: sequence([0]) }).ordered;
    expect(names(weighted)).toEqual(['a', 'b']);
  });

  it('latency: prefers the lowest EWMA, penalised by calls in flight, and explores unmeasured ones first', () => {
    const stats = createTargetStats({ alpha: 0.5 });
    stats.begin('fast')(100);
    stats.begin('slow')(400);
    const options = { strategy: 'latency' as const, stats, random: () => 0 };
    expect(names(selectTargets([target('slow'), target('fast')], options).ordered)).toEqual(['fast', 'slow']);
    expect(names(selectTargets([target('slow'), target('fast'), target('new')], options).ordered)[0]).toBe('new');
    // Four calls piling up on 'fast' make it cost 100 × 5 > 400 × 1.
    for (let index = 0; index < 4; index++) stats.begin('fast');
    expect(names(selectTargets([target('slow'), target('fast')], options).ordered)).toEqual(['slow', 'fast']);
  });
});

describe('createTargetStats', () => {
  it('averages latency exponentially and ignores failures as samples', () => {
    const stats = createTargetStats({ alpha: 0.5 });
    stats.begin('a')(100);
    stats.begin('a')(300);
    stats.begin('a')();
    expect(stats.latencyEwmaMs('a')).toBe(200);
    expect(stats.inFlight('a')).toBe(0);
  });
});
