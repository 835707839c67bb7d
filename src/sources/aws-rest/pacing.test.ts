import { describe, expect, it } from 'vitest';
import { AWS_QUOTAS, Pacer, pacingDelay, type Clock } from './pacing.js';

/** A clock that only moves when someone sleeps. */
function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('pacingDelay', () => {
  it.each([
    ['below the limit', 4, 0],
    ['at the limit: wait until the oldest leaves the 2 s window (+ margin)', 5, 2100],
  ])('GetResources %s', (_name, count, expected) => {
    const history = Array.from({ length: count }, () => ({ operation: 'GetResources', at: 0 }));
    expect(pacingDelay(history, 'GetResources', 0, AWS_QUOTAS)).toBe(expected);
  });

  it('applies the overall 10-per-second rule to every operation', () => {
    const history = Array.from({ length: 10 }, (_, i) => ({ operation: 'GetStage', at: i * 10 }));
    expect(pacingDelay(history, 'GetAuthorizers', 100, AWS_QUOTAS)).toBe(1100 - 100);
  });

  it('does not count other operations against the GetResources rule', () => {
    const history = Array.from({ length: 5 }, () => ({ operation: 'GetStage', at: 0 }));
    expect(pacingDelay(history, 'GetResources', 0, AWS_QUOTAS)).toBe(0);
  });
});

describe('Pacer with the real quotas (fake clock)', () => {
  it('spaces 12 GetResources to at most 5 in any 2 s window', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(AWS_QUOTAS, clock);
    const times: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      await pacer.acquire('GetResources');
      times.push(clock.now());
    }
    for (let i = 5; i < times.length; i += 1) {
      expect((times[i] ?? 0) - (times[i - 5] ?? 0)).toBeGreaterThanOrEqual(2000);
    }
    expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
    expect(clock.sleeps.length).toBeGreaterThan(0);
  });

  it('serializes concurrent acquisitions', async () => {
    const clock = fakeClock();
    const pacer = new Pacer(AWS_QUOTAS, clock);
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, i) => pacer.acquire('GetResources').then(() => order.push(i))),
    );
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(clock.now()).toBe(2100);
  });
});
