import { describe, expect, it } from 'vitest';
import { createManualClock } from './clock.js';

describe('createManualClock', () => {
  it('fires sleeps and timers in due order only when advanced', async () => {
    const clock = createManualClock(0);
    const fired: string[] = [];
    void clock.sleep(200).then(() => fired.push(`sleep@${clock.now()}`));
    clock.setTimer(100, () => fired.push(`timer@${clock.now()}`));
    await clock.advance(99);
    expect(fired).toEqual([]);
    await clock.advance(150);
    expect(fired).toEqual(['timer@100', 'sleep@200']);
    expect(clock.now()).toBe(249);
  });

  it('rejects a sleep with the abort reason and drops its timer', async () => {
    const clock = createManualClock(0);
    const controller = new AbortController();
    const sleeping = clock.sleep(1_000, controller.signal);
    controller.abort(new Error('client left'));
    await expect(sleeping).rejects.toThrow('client left');
    expect(clock.pendingTimers()).toBe(0);
  });

  it('runs timers scheduled by timers within the same advance', async () => {
    const clock = createManualClock(0);
    const fired: number[] = [];
    clock.setTimer(10, () => clock.setTimer(10, () => fired.push(clock.now())));
    await clock.advance(25);
    expect(fired).toEqual([20]);
  });
});
