import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeadlineQueue } from './deadline-queue.js';

describe('createDeadlineQueue', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());
  const now = () => Date.now();

  it('runs each deadline once, in the order added, on one timer', () => {
    const queue = createDeadlineQueue(1_000, now);
    const fired: string[] = [];
    const first = queue.add(() => fired.push('first'));
    vi.advanceTimersByTime(400);
    const second = queue.add(() => fired.push('second'));
    const third = queue.add(() => fired.push('third'));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(600);
    expect(fired).toEqual(['first']);
    expect(first.expired).toBe(true);
    expect(second.expired).toBe(false);
    vi.advanceTimersByTime(400);
    expect(fired).toEqual(['first', 'second', 'third']);
    expect(third.expired).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never runs a cleared deadline, wherever it sits in the queue', () => {
    const queue = createDeadlineQueue(1_000, now);
    const fired: number[] = [];
    const entries = [0, 1, 2, 3, 4].map((index) => queue.add(() => fired.push(index)));
    entries[0]?.clear();
    entries[2]?.clear();
    entries[4]?.clear();
    entries[4]?.clear();
    vi.advanceTimersByTime(1_000);
    expect(fired).toEqual([1, 3]);
    expect(entries[0]?.expired).toBe(false);
  });

  it('re-arms for the next deadline when the one it was set for was cleared, and holds no timer once empty', () => {
    const queue = createDeadlineQueue(1_000, now);
    const fired: string[] = [];
    queue.add(() => fired.push('cleared')).clear();
    vi.advanceTimersByTime(500);
    queue.add(() => fired.push('later'));
    vi.advanceTimersByTime(500);
    expect(fired).toEqual([]);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(500);
    expect(fired).toEqual(['later']);
    queue.add(() => fired.push('gone')).clear();
    vi.advanceTimersByTime(1_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(fired).toEqual(['later']);
  });

  it('keeps expiring the rest when one callback throws', () => {
    const queue = createDeadlineQueue(1_000, now);
    const fired: string[] = [];
    queue.add(() => {
      throw new Error('boom');
    });
    vi.advanceTimersByTime(10);
    queue.add(() => fired.push('next'));
    expect(() => vi.advanceTimersByTime(990)).toThrow('boom');
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(['next']);
  });

  it('close drops every pending deadline and the timer', () => {
    const queue = createDeadlineQueue(1_000, now);
    const fired: string[] = [];
    queue.add(() => fired.push('a'));
    queue.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(2_000);
    expect(fired).toEqual([]);
  });
});
