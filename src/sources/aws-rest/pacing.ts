/**
 * Client-side pacing for the API Gateway control plane, so that reading a large API stays under the
 * documented quotas instead of leaning on 429s and retries.
 *
 * Quotas (AGDG `limits.md`, cannot be increased): GetResources 5 requests every 2 seconds per account;
 * all operations 10 requests per second (burst 40). We pace to the sustained rates, plus a small margin
 * because the service measures arrival times, not our send times.
 */

/** At most `limit` requests in any window of `windowMs`, for `operation` or (undefined) for every call. */
export interface QuotaRule {
  operation?: string;
  limit: number;
  windowMs: number;
}

export interface PacingOptions {
  rules: QuotaRule[];
  /** Added to every window: absorbs network jitter between our send time and the service's arrival time. */
  marginMs: number;
}

/** The real quotas. Never lower the default margin to zero against AWS. */
export const AWS_QUOTAS: PacingOptions = {
  rules: [
    { operation: 'GetResources', limit: 5, windowMs: 2000 },
    { limit: 10, windowMs: 1000 },
  ],
  marginMs: 100,
};

/** Time source; tests pass a fake one. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * How long to wait before sending `operation` now, given the send times already recorded. Pure.
 * `history` holds (operation, time) pairs, oldest first.
 */
export function pacingDelay(
  history: readonly { operation: string; at: number }[],
  operation: string,
  now: number,
  options: PacingOptions,
): number {
  let delay = 0;
  for (const rule of options.rules) {
    if (rule.operation !== undefined && rule.operation !== operation) continue;
    const window = rule.windowMs + options.marginMs;
    const relevant = history.filter(
      (entry) =>
        (rule.operation === undefined || entry.operation === rule.operation) && entry.at > now - window,
    );
    if (relevant.length < rule.limit) continue;
    // The call may go once the oldest call that keeps the window full has left it.
    const blocking = relevant[relevant.length - rule.limit];
    if (blocking) delay = Math.max(delay, blocking.at + window - now);
  }
  return delay;
}

/** Serializes sends and delays each one just enough to keep every rule. */
export class Pacer {
  private readonly history: { operation: string; at: number }[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly options: PacingOptions = AWS_QUOTAS,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Resolves when `operation` may be sent; records the send time. */
  acquire(operation: string): Promise<void> {
    const turn = this.queue.then(async () => {
      for (;;) {
        const delay = pacingDelay(this.history, operation, this.clock.now(), this.options);
        if (delay <= 0) break;
        await this.clock.sleep(delay);
      }
      this.history.push({ operation, at: this.clock.now() });
      this.prune();
    });
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private prune(): void {
    const longest = Math.max(0, ...this.options.rules.map((rule) => rule.windowMs)) + this.options.marginMs;
    const cutoff = this.clock.now() - longest;
    while (this.history.length > 0 && (this.history[0]?.at ?? 0) <= cutoff) this.history.shift();
  }
}
