/**
 * Follows one Newman run through its events and reduces each collection item to plain data (`ItemRun`) that can
 * cross a worker boundary. Newman's own `summary.run.executions` cannot tell a case's request from the
 * `pm.sendRequest` calls of its scripts (they share the cursor); the events can: a script request comes with a
 * fresh item of another id.
 */

import type { EventEmitter } from 'node:events';
import type { NewmanCursor, NewmanError } from 'newman';
import type { RunEvent } from './types.js';

/** What happened to one item of the collection in a run. Serialisable (structured clone). */
export interface ItemRun {
  /** The item id. */
  id: string;
  name: string;
  /** False when the request was skipped (`pm.execution.skipRequest()`). */
  requested: boolean;
  status?: number;
  /** The `message`/`Message` of a JSON body (key compared case-insensitively); null for `{"message": null}`. */
  message?: string | null;
  errorType?: string;
  /** The request could not be sent (connection refused, timeout...). */
  requestError?: { code?: string; message: string };
  /** Failed assertion messages, script errors and script request errors, in the order they happened. */
  failures: string[];
  assertions: number;
  failedAssertions: number;
  scriptErrors: number;
}

export interface CollectTotals {
  /** Requests made by scripts (`pm.sendRequest`: token fetches). */
  scriptRequests: number;
}

interface Headers {
  get?: (name: string) => string | undefined;
}

interface EventArgs {
  cursor?: NewmanCursor;
  item?: { id?: string; name?: string };
  response?: { code?: number; headers?: Headers; stream?: Uint8Array };
  assertion?: string;
  skipped?: boolean;
  event?: { listen?: string };
}

function bodyMessage(stream: Uint8Array | undefined): string | null | undefined {
  if (!stream || stream.length === 0 || stream.length > 65_536) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(stream).toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  for (const [key, value] of Object.entries(parsed)) {
    if (key.toLowerCase() === 'message' && (typeof value === 'string' || value === null)) return value;
  }
  return undefined;
}

function messageOf(error: NewmanError): string {
  return error.message ?? error.name ?? 'unknown error';
}

export interface CollectHandlers {
  /** Called once per item when Newman is done with it. */
  onItem?: (run: ItemRun) => void;
  onEvent?: (event: RunEvent) => void;
  /** Top-level folder of an item id, for `onEvent`. */
  folderOf?: (id: string) => string;
}

/** Starts following `emitter`; read the totals once the run is done. */
export function collectRun(emitter: EventEmitter, handlers: CollectHandlers = {}): CollectTotals {
  const byRef = new Map<string, ItemRun>();
  const totals: CollectTotals = { scriptRequests: 0 };
  const folderOf = handlers.folderOf ?? (() => '');

  emitter.on('beforeItem', (_err: unknown, args: EventArgs) => {
    const ref = args.cursor?.ref;
    if (!ref || !args.item) return;
    byRef.set(ref, {
      id: args.item.id ?? '',
      name: args.item.name ?? '',
      requested: false,
      failures: [],
      assertions: 0,
      failedAssertions: 0,
      scriptErrors: 0,
    });
  });

  emitter.on('request', (err: NewmanError | null, args: EventArgs) => {
    const run = byRef.get(args.cursor?.ref ?? '');
    // Newman hands the case's request over with a parentless copy of its item (same id); a script's
    // pm.sendRequest comes with a new item.
    if (!run || args.item?.id !== run.id) {
      totals.scriptRequests += 1;
      if (err && run) run.failures.push(`request failed: pm.sendRequest (script): ${messageOf(err)}`);
      return;
    }
    run.requested = true;
    if (err) {
      run.requestError = { ...(err.code === undefined ? {} : { code: err.code }), message: messageOf(err) };
      run.failures.push(`request failed: ${messageOf(err)}`);
    }
    const response = args.response;
    if (response?.code !== undefined) {
      run.status = response.code;
      const errorType = response.headers?.get?.('x-amzn-ErrorType');
      if (errorType) run.errorType = errorType;
      const message = bodyMessage(response.stream);
      if (message !== undefined) run.message = message;
    }
    handlers.onEvent?.({
      type: 'request',
      caseName: run.name,
      folder: folderOf(run.id),
      ...(run.status === undefined ? {} : { status: run.status }),
      ...(err ? { error: messageOf(err) } : {}),
    });
  });

  emitter.on('script', (err: NewmanError | null, args: EventArgs) => {
    const run = byRef.get(args.cursor?.ref ?? '');
    if (!err || !run) return;
    run.scriptErrors += 1;
    run.failures.push(
      `${args.event?.listen === 'test' ? 'test' : 'pre-request'} script error: ${messageOf(err)}`,
    );
  });

  emitter.on('assertion', (err: NewmanError | null, args: EventArgs) => {
    const run = byRef.get(args.cursor?.ref ?? '');
    if (!run) return;
    run.assertions += 1;
    if (err) {
      run.failedAssertions += 1;
      run.failures.push(messageOf(err));
    }
    handlers.onEvent?.({
      type: 'assertion',
      caseName: run.name,
      folder: folderOf(run.id),
      assertion: args.assertion ?? '',
      passed: !err,
      skipped: args.skipped === true,
    });
  });

  emitter.on('item', (_err: unknown, args: EventArgs) => {
    const ref = args.cursor?.ref ?? '';
    const run = byRef.get(ref);
    if (!run) return;
    byRef.delete(ref);
    handlers.onItem?.(run);
  });
  return totals;
}
