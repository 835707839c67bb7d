/**
 * A `run --parallel` worker thread: runs its units of the collection with Newman and streams each item's result
 * to the parent. Everything it gets (collection, environment, variables, fetched tokens) arrives in memory as
 * workerData, never through a file.
 */

import { parentPort, workerData } from 'node:worker_threads';
import { runNewmanUnits } from './execute.js';
import type { WorkerInput, WorkerMessage } from './execute.js';

const input = workerData as WorkerInput;
const post = (message: WorkerMessage): void => parentPort?.postMessage(message);

runNewmanUnits(input, {
  onItem: (run) => post({ type: 'item', run }),
  ...(input.events ? { onEvent: (event) => post({ type: 'event', event }) } : {}),
}).then(
  (totals) => post({ type: 'done', totals }),
  (error: unknown) =>
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
);
