/**
 * Item runs (from one process or many workers) -> CaseRecords -> RunResult. Pure: no I/O.
 */

import type { CollectionIndex, IndexedItem } from './collection-index.js';
import type { ItemRun } from './collect.js';
import { redactText } from './redact.js';
import type { Redactor } from './redact.js';
import { parseHint } from './result.js';
import type { CaseFailure, CaseRecord, RunResult, TransportError } from './types.js';

const BLOCKED = /^\[(?:[^\]]*)\] blocked by ([^:]+): /;

/** The first hint of a failure message: the text after the first ` Hint: `. */
export function firstHint(message: string): string | undefined {
  const at = message.indexOf('Hint:');
  if (at < 0) return undefined;
  const hint = message.slice(at + 'Hint:'.length).trim();
  return hint === '' ? undefined : hint;
}

/** One case record from what the run saw of the item; `redactor` cleans the failure messages. */
export function caseRecordOf(item: IndexedItem, run: ItemRun, redactor?: Redactor): CaseRecord {
  const clean = (text: string): string => (redactor ? redactText(text, redactor) : text);
  const failures = run.failures.map(clean);
  const blocked = failures.map((f) => BLOCKED.exec(f)?.[1]).find((b) => b !== undefined);
  const outcome: CaseRecord['outcome'] =
    blocked !== undefined
      ? 'blocked'
      : failures.length > 0 || run.requestError !== undefined
        ? 'failed'
        : !run.requested
          ? 'skipped'
          : 'passed';
  const data = item.data;
  const hint = failures.length > 0 ? firstHint(failures[0] ?? '') : undefined;
  const actual: CaseRecord['actual'] =
    run.status === undefined
      ? undefined
      : {
          status: run.status,
          ...(run.message === undefined ? {} : { message: run.message === null ? null : clean(run.message) }),
          ...(run.errorType === undefined ? {} : { errorType: run.errorType }),
        };
  return {
    key: data?.key ?? item.name,
    name: item.name,
    folder: item.folder,
    ...(data?.authorizer === undefined ? {} : { authorizer: data.authorizer }),
    route: data?.route ?? '',
    category: data?.category ?? 'other',
    expected: data?.expected ?? { outcome: 'rejected', statuses: [], messages: [] },
    ...(actual === undefined ? {} : { actual }),
    outcome,
    failures,
    ...(hint === undefined ? {} : { hint }),
    ...(outcome === 'skipped'
      ? {
          skippedReason:
            data?.skipUnlessVariable === undefined
              ? 'skipped by a script'
              : `needs ${data.skipUnlessVariable}`,
        }
      : {}),
    ...(outcome === 'blocked' && blocked !== undefined ? { blockedBy: blocked.trim() } : {}),
    order: item.order,
  };
}

export interface RunCounters {
  scriptRequests: number;
}

/**
 * The RunResult of a run: one record per item that ran, in collection order. `passed` needs at least one case and
 * no failed or blocked case; `environmentFailure` is set when every sent request failed with a transport error.
 */
export function buildRunResult(
  index: CollectionIndex,
  runs: readonly ItemRun[],
  counters: RunCounters,
  redactor?: Redactor,
): Omit<RunResult, 'reports'> {
  const pairs: [IndexedItem, ItemRun][] = [];
  for (const run of runs) {
    const item = index.byId.get(run.id);
    if (item) pairs.push([item, run]);
  }
  pairs.sort(([a], [b]) => a.order - b.order);
  const cases = pairs.map(([item, run]) => caseRecordOf(item, run, redactor));
  return resultFromCases(cases, {
    assertions: runs.reduce((n, r) => n + r.assertions, 0),
    failedAssertions: runs.reduce((n, r) => n + r.failedAssertions, 0),
    scriptErrors: runs.reduce((n, r) => n + r.scriptErrors, 0),
    scriptRequests: counters.scriptRequests,
    requestErrors: pairs.flatMap(([item, run]) =>
      run.requested && run.requestError
        ? [
            {
              caseName: item.name,
              folder: item.folder,
              message: redactor ? redactText(run.requestError.message, redactor) : run.requestError.message,
              ...(run.requestError.code === undefined ? {} : { code: run.requestError.code }),
            },
          ]
        : [],
    ),
    requests: pairs.filter(([, run]) => run.requested).length,
  });
}

export interface RunTallies {
  assertions: number;
  failedAssertions: number;
  scriptErrors: number;
  scriptRequests: number;
  requests: number;
  requestErrors: TransportError[];
}

/** The RunResult of a list of case records (in order) and the run's tallies; also what `report merge` uses. */
export function resultFromCases(cases: CaseRecord[], tallies: RunTallies): Omit<RunResult, 'reports'> {
  const failures: CaseFailure[] = [];
  const perAuthorizer: Record<string, { passed: number; failed: number }> = {};
  let failedCases = 0;
  let blockedCases = 0;
  let skippedCases = 0;
  for (const record of cases) {
    if (record.outcome === 'skipped') {
      skippedCases += 1;
      continue;
    }
    const entry = (perAuthorizer[record.folder] ??= { passed: 0, failed: 0 });
    if (record.outcome === 'passed') {
      entry.passed += 1;
      continue;
    }
    entry.failed += 1;
    if (record.outcome === 'blocked') blockedCases += 1;
    else failedCases += 1;
    for (const message of record.failures) {
      failures.push({ caseName: record.name, folder: record.folder, ...parseHint(message) });
    }
  }
  const ran = cases.length - skippedCases;
  const failedRequests = tallies.requestErrors.length;
  const environmentFailure = tallies.requests > 0 && failedRequests === tallies.requests;
  return {
    passed: ran > 0 && failedCases === 0 && blockedCases === 0 && !environmentFailure,
    environmentFailure,
    stats: {
      requests: tallies.requests,
      failedRequests,
      scriptRequests: tallies.scriptRequests,
      assertions: tallies.assertions,
      failedAssertions: tallies.failedAssertions,
      cases: ran,
      failedCases,
      skippedCases,
      blockedCases,
      scriptErrors: tallies.scriptErrors,
    },
    failures,
    perAuthorizer,
    errors: tallies.requestErrors,
    cases,
  };
}
