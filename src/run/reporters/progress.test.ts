import { describe, expect, it } from 'vitest';
import type { CaseOutcome } from '../types.js';
import { createProgress } from './progress.js';

function harness(isTty: boolean, total: number, intervalMs?: number) {
  const writes: string[] = [];
  let clock = 1_000;
  const progress = createProgress({
    write: (text) => writes.push(text),
    isTty,
    total,
    now: () => clock,
    ...(intervalMs === undefined ? {} : { intervalMs }),
  });
  return {
    writes,
    progress,
    tick: (ms: number) => (clock += ms),
    run: (outcomes: CaseOutcome[], msEach: number) => {
      for (const outcome of outcomes) {
        clock += msEach;
        progress.onCase({ outcome });
      }
    },
  };
}

describe('createProgress', () => {
  it('writes nothing when stderr is not a TTY (pipes, CI logs, NO_COLOR)', () => {
    const h = harness(false, 3);
    h.run(['passed', 'failed', 'passed'], 500);
    h.progress.done();
    expect(h.writes).toEqual([]);
  });

  it('rewrites one line with cases done out of total, failures so far and the rate', () => {
    const h = harness(true, 4);
    h.run(['passed', 'failed', 'passed', 'passed'], 250);
    h.progress.done();
    expect(h.writes).toEqual([
      '\r1/4 cases · 0 failed · 4.0 cases/s',
      '\r2/4 cases · 1 failed · 4.0 cases/s',
      '\r3/4 cases · 1 failed · 4.0 cases/s',
      '\r4/4 cases · 1 failed · 4.0 cases/s',
      '\r4/4 cases · 1 failed · 4.0 cases/s',
      '\n',
    ]);
  });

  it('redraws at most every interval but always on the last case, and counts blocked cases', () => {
    const h = harness(true, 10, 100);
    h.run(['passed', 'passed', 'blocked', 'failed', 'passed'], 30);
    expect(h.writes).toEqual([
      '\r1/10 cases · 0 failed · 33.3 cases/s',
      '\r5/10 cases · 1 failed · 1 blocked · 33.3 cases/s',
    ]);
    h.run(['passed', 'passed', 'passed', 'passed', 'failed'], 1);
    expect(h.writes.at(-1)).toBe('\r10/10 cases · 2 failed · 1 blocked · 64.5 cases/s');
    expect(h.writes).toHaveLength(3);
  });

  it('pads over a longer previous line and never writes an ANSI escape', () => {
    const h = harness(true, 0, 0);
    h.run(['failed'], 1); // rate 1000/s: a long line
    h.tick(100_000);
    h.progress.onCase({ outcome: 'passed' }); // rate 0.0/s: shorter
    h.progress.done();
    const [first = '', second = ''] = h.writes;
    expect(first).toBe('\r1 cases · 1 failed · 1000.0 cases/s');
    expect(second).toBe(`\r${'2 cases · 1 failed · 0.0 cases/s'.padEnd(first.length - 1)}`);
    expect(h.writes.join('')).not.toContain('\u001b');
  });

  it('writes no newline when nothing was drawn, and nothing after done', () => {
    const h = harness(true, 5);
    h.progress.done();
    h.progress.onCase({ outcome: 'passed' });
    h.progress.done();
    expect(h.writes).toEqual([]);
  });
});
