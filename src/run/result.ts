/**
 * Newman's run summary -> RunResult, the exit code, and the text summary. Pure: no I/O.
 */

import type { NewmanError, NewmanItem, NewmanSummary } from 'newman';
import type { CaseFailure, RunResult, TransportError } from './types.js';

/** Folder name for requests that sit directly in the collection. */
export const ROOT_FOLDER = '(collection)';

/** Splits `<case>: expected ..., got ... Hint: <hint>` into the message and the hint. */
export function parseHint(message: string): { message: string; hint?: string } {
  const at = message.lastIndexOf('Hint:');
  if (at < 0) return { message: message.trim() };
  const hint = message.slice(at + 'Hint:'.length).trim();
  const rest = message.slice(0, at).trim();
  return hint === '' ? { message: rest } : { message: rest, hint };
}

/** The top-level folder an item sits in (the authorizer group), or `(collection)`. */
export function topFolderOf(item: NewmanItem | undefined): string {
  let current = item;
  let top: NewmanItem | undefined;
  while (current) {
    const parent = typeof current.parent === 'function' ? current.parent() : undefined;
    // The collection itself has no parent; the node just below it is the top-level folder.
    const grandParent = parent && typeof parent.parent === 'function' ? parent.parent() : undefined;
    if (!parent || !grandParent) break;
    top = parent;
    current = parent;
  }
  return top?.name ?? ROOT_FOLDER;
}

function messageOf(error: NewmanError | undefined): string {
  return error?.message ?? error?.name ?? 'unknown error';
}

/** One item of the collection as the run saw it (see `trackRun`). */
export interface TrackedCase {
  /** Newman's cursor ref: unique per item execution, shared with the item's script requests. */
  ref: string;
  item: NewmanItem;
  /** False when the item's request was skipped (`pm.execution.skipRequest()`, an optional input not given). */
  requested: boolean;
  requestError?: NewmanError;
}

export interface RunTrack {
  /** In run order. */
  cases: TrackedCase[];
  /** Requests made by scripts (`pm.sendRequest`). */
  scriptRequests: number;
}

/**
 * Builds the RunResult from Newman's summary and the tracked cases. A case is one item whose request was sent;
 * it failed when any assertion, script or the request itself failed. `passed` needs at least one case and no
 * failure at all. `environmentFailure` is set when every case's request failed with a transport error.
 */
export function summarizeRun(summary: NewmanSummary, track: RunTrack): Omit<RunResult, 'reports'> {
  const { failures: newmanFailures, stats } = summary.run;
  const cases = track.cases.filter((c) => c.requested);
  const itemByRef = new Map(track.cases.map((c) => [c.ref, c.item]));

  const failures: CaseFailure[] = [];
  const errors: TransportError[] = [];
  const failedRefs = new Set<string>();
  const seen = new Set<string>();
  let scriptErrors = 0;
  for (const failure of newmanFailures) {
    const ref = failure.cursor?.ref ?? '';
    const tracked = itemByRef.get(ref);
    // A token script's pm.sendRequest fails under the case's cursor with an item of its own.
    const fromScript =
      failure.source !== undefined && tracked !== undefined && failure.source.id !== tracked.id;
    const item = tracked ?? failure.source;
    const caseName = item?.name ?? ROOT_FOLDER;
    const folder = topFolderOf(item);
    const raw = messageOf(failure.error);
    // Newman can report one script error under two events; count it once.
    const dedupeKey = `${ref}\u0000${String(fromScript)}\u0000${failure.at.split(':')[0]}\u0000${raw}`;
    if (seen.has(dedupeKey)) continue;
    seen.add(dedupeKey);
    if (ref) failedRefs.add(ref);
    if (failure.at === 'request') {
      const code = failure.error.code;
      const message = fromScript ? `pm.sendRequest (token script): ${raw}` : raw;
      errors.push({ caseName, folder, message, ...(code === undefined ? {} : { code }) });
      failures.push({ caseName, folder, message: `request failed: ${message}` });
      continue;
    }
    if (/script/.test(failure.at) && !failure.at.startsWith('assertion')) scriptErrors += 1;
    failures.push({ caseName, folder, ...parseHint(raw) });
  }

  const perAuthorizer: Record<string, { passed: number; failed: number }> = {};
  let failedCases = 0;
  for (const tracked of cases) {
    const entry = (perAuthorizer[topFolderOf(tracked.item)] ??= { passed: 0, failed: 0 });
    if (failedRefs.has(tracked.ref) || tracked.requestError !== undefined) {
      entry.failed += 1;
      failedCases += 1;
    } else {
      entry.passed += 1;
    }
  }

  const requests = cases.length;
  const failedRequests = cases.filter((c) => c.requestError !== undefined).length;
  const environmentFailure = requests > 0 && failedRequests === requests;
  const passed = requests > 0 && failures.length === 0 && !summary.run.error && !environmentFailure;
  return {
    passed,
    environmentFailure,
    stats: {
      requests,
      failedRequests,
      scriptRequests: track.scriptRequests,
      assertions: stats.assertions.total,
      failedAssertions: stats.assertions.failed,
      cases: cases.length,
      failedCases,
      skippedCases: track.cases.length - cases.length,
      scriptErrors,
    },
    failures,
    perAuthorizer,
    errors,
  };
}

/**
 * The process exit code for a finished run: 0 all passed, 1 a case failed, 3 every request failed with a
 * transport error (the environment, not the API, is broken). Bad input (2) is thrown as an `InputError` before
 * Newman runs; see `src/errors.ts`.
 */
export function exitCodeFor(result: Pick<RunResult, 'passed' | 'environmentFailure'>): 0 | 1 | 3 {
  if (result.environmentFailure) return 3;
  return result.passed ? 0 : 1;
}

/** Plain-text summary: cases passed and failed per authorizer, then each failure with its hint. No colour. */
export function formatRunSummary(result: Omit<RunResult, 'reports'>): string {
  const { stats } = result;
  const lines: string[] = [];
  const verdict = result.environmentFailure
    ? 'ENVIRONMENT FAILURE: every request failed before reaching the API'
    : result.passed
      ? 'PASSED'
      : 'FAILED';
  lines.push(
    `${verdict}: ${stats.cases - stats.failedCases} of ${stats.cases} cases passed; ` +
      `${stats.requests} requests, ${stats.assertions} assertions, ${stats.failedAssertions} failed`,
  );
  const folders = Object.keys(result.perAuthorizer);
  const width = Math.max(0, ...folders.map((f) => f.length));
  for (const folder of folders) {
    const { passed, failed } = result.perAuthorizer[folder] ?? { passed: 0, failed: 0 };
    lines.push(`  ${folder.padEnd(width)}  ${passed} passed, ${failed} failed`);
  }
  if (result.failures.length > 0) {
    lines.push('', 'Failures:');
    for (const failure of result.failures) {
      lines.push(`  [${failure.folder}] ${failure.caseName}`, `    ${failure.message}`);
      if (failure.hint) lines.push(`    Hint: ${failure.hint}`);
    }
  }
  if (result.errors.length > 0) {
    const byCode = new Map<string, number>();
    for (const e of result.errors)
      byCode.set(e.code ?? e.message, (byCode.get(e.code ?? e.message) ?? 0) + 1);
    lines.push('', 'Transport errors:');
    for (const [code, count] of [...byCode].sort(([a], [b]) => a.localeCompare(b))) {
      lines.push(`  ${code}: ${count} request(s)`);
    }
    if (result.environmentFailure) {
      lines.push(
        '  Check baseUrl (--env-var baseUrl=...) and that the API or `apigw-authz serve` is reachable.',
      );
    }
  }
  return lines.join('\n') + '\n';
}
