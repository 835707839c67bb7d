/**
 * What every reporter reads from a run: its cases in run order, grouped per authorizer folder, counted by
 * outcome, with the expectation and the response as one line each. Pure: no I/O.
 */

import { parseHint } from '../result.js';
import { createRedactor, redactText } from '../redact.js';
import type { Redactor } from '../redact.js';
import { CASE_CATEGORIES } from '../types.js';
import type { CaseCategory, CaseFailure, CaseOutcome, CaseRecord, RunResult } from '../types.js';

/** A run result with its per-case records (`RunResult.cases`; merged shards have them too). */
export type ReportedRun = RunResult & { cases: CaseRecord[] };

export type OutcomeCounts = Record<CaseOutcome, number> & { total: number };

/** The cases of one top-level folder (one authorizer group), in run order. */
export interface FolderGroup {
  folder: string;
  /** The authorizer the cases name, when they all name the same one. */
  authorizer?: string;
  cases: CaseRecord[];
  counts: OutcomeCounts;
}

/**
 * Every string a reporter writes goes through this: a redactor built from the run's secrets, or, when none is
 * given, one that still replaces anything shaped like a JWT. A report never needs a token to be useful.
 */
export function textCleaner(redactor?: Redactor): (text: string) => string {
  const active = redactor ?? createRedactor([]);
  return (text) => redactText(text, active);
}

/** The cases sorted by run order (stable: equal orders keep their given order). */
export function casesInOrder(run: Pick<ReportedRun, 'cases'>): CaseRecord[] {
  return [...run.cases].sort((a, b) => a.order - b.order);
}

export function countOutcomes(cases: readonly CaseRecord[]): OutcomeCounts {
  const counts: OutcomeCounts = { total: cases.length, passed: 0, failed: 0, skipped: 0, blocked: 0 };
  for (const c of cases) counts[c.outcome] += 1;
  return counts;
}

/** Groups cases by top-level folder, folders in the order their first case ran. */
export function groupByFolder(cases: readonly CaseRecord[]): FolderGroup[] {
  const byFolder = new Map<string, CaseRecord[]>();
  for (const c of cases) {
    const list = byFolder.get(c.folder);
    if (list) list.push(c);
    else byFolder.set(c.folder, [c]);
  }
  return [...byFolder].map(([folder, list]) => {
    const authorizers = new Set(list.map((c) => c.authorizer));
    const [only] = authorizers;
    return {
      folder,
      ...(authorizers.size === 1 && only !== undefined ? { authorizer: only } : {}),
      cases: list,
      counts: countOutcomes(list),
    };
  });
}

/** A case's category, `other` for anything a newer or older producer wrote that this version does not know. */
export function categoryOf(record: CaseRecord): CaseCategory {
  return (CASE_CATEGORIES as readonly string[]).includes(record.category) ? record.category : 'other';
}

/** Column headings of the matrix, in `CASE_CATEGORIES` order. */
export const CATEGORY_LABELS: Record<CaseCategory, string> = {
  positive: 'Positive',
  missing: 'Missing',
  malformed: 'Malformed',
  forged: 'Forged',
  expired: 'Expired',
  'wrong-scope': 'Wrong scope',
  'api-key': 'API key',
  'cache-bleed': 'Cache bleed',
  cors: 'CORS',
  other: 'Other',
};

/** The categories present among the cases, in `CASE_CATEGORIES` order. */
export function categoriesPresent(cases: readonly CaseRecord[]): CaseCategory[] {
  const present = new Set(cases.map(categoryOf));
  return CASE_CATEGORIES.filter((c) => present.has(c));
}

/** `401 "Unauthorized" (x-amzn-ErrorType: UnauthorizedException)`: what a case expects, on one line. */
export function describeExpected(expected: CaseRecord['expected']): string {
  const statuses = expected.statuses.length > 0 ? expected.statuses.join(' or ') : 'any status';
  const messages = [...new Set(expected.messages.filter((m): m is string => m !== null))];
  const parts = [expected.outcome === 'authorized' ? `authorized (${statuses})` : `rejected ${statuses}`];
  if (messages.length > 0) parts.push(messages.map((m) => JSON.stringify(m)).join(' or '));
  if (expected.errorType) parts.push(`(x-amzn-ErrorType: ${expected.errorType})`);
  return parts.join(' ');
}

/** `403 "Forbidden" (x-amzn-ErrorType: AccessDeniedException)`, or `not sent`. */
export function describeActual(actual: CaseRecord['actual']): string {
  if (!actual) return 'not sent';
  const parts = [String(actual.status)];
  if (actual.message !== undefined && actual.message !== null) parts.push(JSON.stringify(actual.message));
  if (actual.errorType) parts.push(`(x-amzn-ErrorType: ${actual.errorType})`);
  return parts.join(' ');
}

/** The failure messages without their `Hint:` tails, and the case's hint once (from the record or the text). */
export function failureDetails(record: CaseRecord): { messages: string[]; hint?: string } {
  const parsed = record.failures.map(parseHint);
  const hint = record.hint ?? parsed.find((p) => p.hint !== undefined)?.hint;
  return { messages: parsed.map((p) => p.message), ...(hint === undefined ? {} : { hint }) };
}

/** Why a case was not judged: its skip reason or the prerequisite that blocked it. */
export function notRunReason(record: CaseRecord): string | undefined {
  if (record.outcome === 'skipped') return record.skippedReason ?? 'skipped';
  if (record.outcome === 'blocked') return `blocked by ${record.blockedBy ?? 'a failed prerequisite'}`;
  return undefined;
}

/**
 * Failures that belong to no case: collection-level script errors (`(collection)`) and anything else whose case
 * name and folder match no case record. Reporters show them so that a red run never looks green.
 */
export function runLevelFailures(run: Pick<ReportedRun, 'cases' | 'failures'>): CaseFailure[] {
  const known = new Set(run.cases.map((c) => `${c.folder}\u0000${c.name}`));
  return run.failures.filter((f) => !known.has(`${f.folder}\u0000${f.caseName}`));
}
