/**
 * The progress line of `run` on stderr: on a TTY, one line rewritten in place with `\r` (cases done out of the
 * total, failures so far, the rate); anywhere else, nothing. It writes no ANSI escape at all, so `NO_COLOR`
 * needs no special case here (the caller passes `isTty: false` for it anyway), and it carries case counts only,
 * never names or values.
 */

import type { CaseRecord } from '../types.js';

export interface ProgressOptions {
  /** Where the line goes, e.g. `(text) => process.stderr.write(text)`. */
  write: (text: string) => void;
  /** False for pipes, files, CI logs and `NO_COLOR`: then the progress writes nothing. */
  isTty: boolean;
  /** Cases the run will report; 0 or less when unknown. */
  total: number;
  /** Milliseconds clock; default `Date.now`. */
  now?: () => number;
  /** Minimum milliseconds between two redraws; default 100. The last case always redraws. */
  intervalMs?: number;
}

export interface Progress {
  onCase(record: Pick<CaseRecord, 'outcome'>): void;
  /** Ends the line (a newline after the last redraw); call once, after the run. */
  done(): void;
}

/** Creates the progress line; a no-op unless `isTty`. */
export function createProgress(options: ProgressOptions): Progress {
  if (!options.isTty) return { onCase: () => undefined, done: () => undefined };
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 100;
  const started = now();
  let doneCount = 0;
  let failed = 0;
  let blocked = 0;
  let lastDraw: number | undefined;
  let width = 0;
  let finished = false;

  const draw = (at: number): void => {
    const seconds = (at - started) / 1000;
    const rate = seconds > 0 ? `${(doneCount / seconds).toFixed(1)} cases/s` : '- cases/s';
    const of = options.total > 0 ? `${doneCount}/${options.total}` : String(doneCount);
    const parts = [`${of} cases`, `${failed} failed`];
    if (blocked > 0) parts.push(`${blocked} blocked`);
    parts.push(rate);
    const line = parts.join(' · ');
    // Pad with spaces over a longer previous line instead of an erase-line escape.
    options.write(`\r${line.padEnd(width)}`);
    width = Math.max(width, line.length);
    lastDraw = at;
  };

  return {
    onCase(record) {
      if (finished) return;
      doneCount += 1;
      if (record.outcome === 'failed') failed += 1;
      if (record.outcome === 'blocked') blocked += 1;
      const at = now();
      const last = options.total > 0 && doneCount >= options.total;
      if (last || lastDraw === undefined || at - lastDraw >= interval) draw(at);
    },
    done() {
      if (finished) return;
      finished = true;
      if (lastDraw === undefined) return;
      draw(now());
      options.write('\n');
    },
  };
}
