/**
 * Runs units of a collection with Newman: in this thread, or on worker threads (one group of units each) whose
 * item results stream back to the parent. Newman runs the collection as it is, scripts and all: no private
 * executor.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import newman from 'newman';
import type { NewmanRunOptions, NewmanVariable } from 'newman';
import { RunFailedError } from '../errors.js';
import { collectRun } from './collect.js';
import type { CollectTotals, ItemRun } from './collect.js';
import type { RunEvent } from './types.js';

/** What a Newman run of some units needs; plain data, so it can be a worker's workerData. */
export interface WorkerInput {
  collection: Record<string, unknown>;
  environment?: Record<string, unknown>;
  envVar: NewmanVariable[];
  /** Folder or request ids to run, in run order; absent: the whole collection. */
  entrypoints?: string[];
  timeoutRequest?: number;
  /** Stream request/assertion events too (costs a message per assertion). */
  events: boolean;
  /** Item id -> top-level folder, for the events. */
  folders?: Record<string, string>;
}

export type WorkerMessage =
  | { type: 'item'; run: ItemRun }
  | { type: 'event'; event: RunEvent }
  | { type: 'done'; totals: CollectTotals }
  | { type: 'error'; message: string };

export interface ExecuteHandlers {
  onItem?: (run: ItemRun) => void;
  onEvent?: (event: RunEvent) => void;
}

/** Newman's `cli` reporter for an in-thread run, writing through `write` instead of stdout. */
export interface NewmanCli {
  write: (text: string) => void;
  color: 'on' | 'off';
}

// eslint-disable-next-line no-control-regex -- ANSI escape sequences are what it removes
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;

/**
 * Newman's cli reporter prints with `process.stdout.write`; while the run lasts, those writes go to `cli.write`
 * (ANSI removed when colour is off: Newman leaves some in its tables even with `--color off`).
 */
function divertStdout(cli: NewmanCli): () => void {
  const original = process.stdout.write.bind(process.stdout);
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    cli.write(cli.color === 'off' ? text.replace(ANSI, '') : text);
    const callback = rest.find((r): r is () => void => typeof r === 'function');
    callback?.();
    return true;
  };
  process.stdout.write = write as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
  };
}

/** Runs the input's units with Newman in this thread. */
export function runNewmanUnits(
  input: WorkerInput,
  handlers: ExecuteHandlers,
  cli?: NewmanCli,
): Promise<CollectTotals> {
  const options: NewmanRunOptions = {
    collection: input.collection,
    ...(input.environment === undefined ? {} : { environment: input.environment }),
    envVar: input.envVar,
    reporters: cli ? ['cli'] : [],
    ...(input.entrypoints === undefined ? {} : { folder: input.entrypoints }),
    ...(input.timeoutRequest === undefined ? {} : { timeoutRequest: input.timeoutRequest }),
    color: cli?.color ?? 'off',
  };
  const restore = cli ? divertStdout(cli) : undefined;
  return new Promise<CollectTotals>((resolvePromise, reject) => {
    let totals: CollectTotals = { scriptRequests: 0 };
    const emitter = newman.run(options, (err) => {
      restore?.();
      if (err)
        reject(new RunFailedError(`newman could not run the collection: ${err.message}`, { cause: err }));
      else resolvePromise(totals);
    });
    const folders = input.folders;
    totals = collectRun(emitter, {
      ...handlers,
      ...(folders ? { folderOf: (id: string) => folders[id] ?? '' } : {}),
    });
  });
}

/** The compiled worker; from the TypeScript sources (tests), the built one in dist/. */
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const sibling = fileURLToPath(new URL('./worker.js', import.meta.url));
  if (!here.endsWith('.ts') && existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL('../../dist/run/worker.js', import.meta.url));
  if (existsSync(built)) return built;
  throw new RunFailedError('the run worker is missing (dist/run/worker.js)', { fix: 'run `npm run build`' });
}

function runWorker(input: WorkerInput, handlers: ExecuteHandlers): Promise<CollectTotals> {
  return new Promise((resolvePromise, reject) => {
    // The worker's own stdout/stderr are drained, not shown: Newman runs there without reporters.
    const worker = new Worker(workerFile(), { workerData: input, stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      // Newman may keep sockets open; the worker has nothing left to say.
      void worker.terminate();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'item') handlers.onItem?.(message.run);
      else if (message.type === 'event') handlers.onEvent?.(message.event);
      else if (message.type === 'done') settle(() => resolvePromise(message.totals));
      else
        settle(() => reject(new RunFailedError(`newman could not run the collection: ${message.message}`)));
    });
    worker.once('error', (error) =>
      settle(() => reject(new RunFailedError(`a run worker failed: ${error.message}`, { cause: error }))),
    );
    worker.once('exit', (code) =>
      settle(() => reject(new RunFailedError(`a run worker stopped early (exit code ${code})`))),
    );
  });
}

/**
 * Runs groups of entrypoints: one group in this thread, several on as many worker threads at once. Item results
 * reach `handlers.onItem` as they complete; returns the summed totals.
 */
export async function executeGroups(
  base: Omit<WorkerInput, 'entrypoints'>,
  groups: (string[] | undefined)[],
  handlers: ExecuteHandlers,
  cli?: NewmanCli,
): Promise<CollectTotals> {
  if (groups.length <= 1) {
    const entrypoints = groups[0];
    return runNewmanUnits({ ...base, ...(entrypoints ? { entrypoints } : {}) }, handlers, cli);
  }
  const all = await Promise.all(
    groups.map((entrypoints) => runWorker({ ...base, ...(entrypoints ? { entrypoints } : {}) }, handlers)),
  );
  return { scriptRequests: all.reduce((n, t) => n + t.scriptRequests, 0) };
}
