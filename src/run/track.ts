/**
 * Follows a Newman run through its events. Newman's own `summary.run.executions` cannot tell a case's request
 * from the `pm.sendRequest` calls of its token script: they share the cursor, so one execution object is pushed
 * (and overwritten) once per request. The events can: a script request carries a fresh item with another id.
 */

import type { EventEmitter } from 'node:events';
import type { NewmanCursor, NewmanError, NewmanItem } from 'newman';
import { topFolderOf } from './result.js';
import type { RunTrack, TrackedCase } from './result.js';
import type { RunEvent } from './types.js';

interface EventArgs {
  cursor?: NewmanCursor;
  item?: NewmanItem;
  response?: { code?: number };
  assertion?: string;
  skipped?: boolean;
}

/**
 * Starts tracking; read the returned object once the run is done. `onEvent` gets the case requests and
 * assertions (never the token scripts' requests), named after the case and its top-level folder.
 */
export function trackRun(emitter: EventEmitter, onEvent?: (event: RunEvent) => void): RunTrack {
  const byRef = new Map<string, TrackedCase>();
  const track: RunTrack = { cases: [], scriptRequests: 0 };
  emitter.on('beforeItem', (_err: unknown, args: EventArgs) => {
    const ref = args.cursor?.ref;
    if (!ref || !args.item) return;
    const tracked: TrackedCase = { ref, item: args.item, requested: false };
    byRef.set(ref, tracked);
    track.cases.push(tracked);
  });
  emitter.on('request', (err: NewmanError | null, args: EventArgs) => {
    const tracked = byRef.get(args.cursor?.ref ?? '');
    // Newman hands the case's request over with a parentless copy of its item (same id); a script's
    // pm.sendRequest comes with a new item.
    if (!tracked || args.item?.id !== tracked.item.id) {
      track.scriptRequests += 1;
      return;
    }
    tracked.requested = true;
    if (err) tracked.requestError = err;
    const status = args.response?.code;
    onEvent?.({
      type: 'request',
      caseName: tracked.item.name ?? '',
      folder: topFolderOf(tracked.item),
      ...(status === undefined ? {} : { status }),
      ...(err ? { error: err.message ?? String(err.code) } : {}),
    });
  });
  if (onEvent) {
    emitter.on('assertion', (err: NewmanError | null, args: EventArgs) => {
      const item = byRef.get(args.cursor?.ref ?? '')?.item ?? args.item;
      onEvent({
        type: 'assertion',
        caseName: item?.name ?? '',
        folder: topFolderOf(item),
        assertion: args.assertion ?? '',
        passed: !err,
        skipped: args.skipped === true,
      });
    });
  }
  return track;
}
