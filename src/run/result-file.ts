/**
 * The `json` reporter's file: apigw-authz's own run result (`format: "apigw-authz-run/1"`), redacted, and what
 * `apigw-authz report merge` reads back to join the shards of a CI matrix into one result.
 */

import { readFile } from 'node:fs/promises';
import { InputNotFoundError, InputUnreadableError, InvalidJsonError } from '../errors.js';
import { isObject } from '../model/parse.js';
import { redactJson } from './redact.js';
import type { Redactor } from './redact.js';
import { resultFromCases } from './records.js';
import { CASE_CATEGORIES } from './types.js';
import type { CaseRecord, RunResult, TransportError } from './types.js';

export const RUN_RESULT_FORMAT = 'apigw-authz-run/1';

/** The file's content: the run result without the report paths, plus the format and, for a shard, which one. */
export type RunResultFile = Omit<RunResult, 'reports'> & {
  format: typeof RUN_RESULT_FORMAT;
  shard?: { index: number; total: number };
};

/** The JSON text of a run result file: redacted, deterministic (no timings, no paths), ending in a newline. */
export function serializeRunResult(
  result: Omit<RunResult, 'reports'> & { reports?: RunResult['reports'] },
  options: { redactor?: Redactor; shard?: { index: number; total: number } } = {},
): string {
  const file: RunResultFile = {
    format: RUN_RESULT_FORMAT,
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    passed: result.passed,
    environmentFailure: result.environmentFailure,
    stats: result.stats,
    perAuthorizer: result.perAuthorizer,
    failures: result.failures,
    errors: result.errors,
    cases: result.cases,
  };
  const clean = options.redactor ? redactJson(file, options.redactor) : file;
  return `${JSON.stringify(clean, null, 2)}\n`;
}

function invalid(file: string, location: string, expected: string): InvalidJsonError {
  return new InvalidJsonError(`not an apigw-authz run result: ${expected}`, {
    file,
    location,
    fix: 'pass the files written by `apigw-authz run --reporters json --json-report FILE`',
  });
}

const OUTCOMES = new Set(['passed', 'failed', 'skipped', 'blocked']);

function checkCase(value: unknown, file: string, at: string): CaseRecord {
  if (!isObject(value)) throw invalid(file, at, 'expected a case object');
  for (const key of ['key', 'name', 'folder', 'route'] as const) {
    if (typeof value[key] !== 'string') throw invalid(file, `${at}/${key}`, 'expected a string');
  }
  if (typeof value.order !== 'number' || !Number.isInteger(value.order)) {
    throw invalid(file, `${at}/order`, 'expected an integer');
  }
  if (typeof value.outcome !== 'string' || !OUTCOMES.has(value.outcome)) {
    throw invalid(file, `${at}/outcome`, 'expected passed, failed, skipped or blocked');
  }
  if (!(CASE_CATEGORIES as readonly string[]).includes(String(value.category))) {
    throw invalid(file, `${at}/category`, `expected one of ${CASE_CATEGORIES.join(', ')}`);
  }
  if (!Array.isArray(value.failures) || value.failures.some((f) => typeof f !== 'string')) {
    throw invalid(file, `${at}/failures`, 'expected an array of strings');
  }
  if (!isObject(value.expected)) throw invalid(file, `${at}/expected`, 'expected an object');
  return value as unknown as CaseRecord;
}

/** Parses and validates a run result file's text. @throws InvalidJsonError naming the file and the JSON pointer */
export function parseRunResult(text: string, file: string): RunResultFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InvalidJsonError(`not valid JSON: ${(err as Error).message}`, {
      file,
      cause: err,
      fix: 'pass the files written by `apigw-authz run --reporters json --json-report FILE`',
    });
  }
  if (!isObject(json)) throw invalid(file, '#', 'expected an object');
  if (json.format !== RUN_RESULT_FORMAT) {
    throw invalid(file, '#/format', `expected "${RUN_RESULT_FORMAT}", found ${JSON.stringify(json.format)}`);
  }
  if (!isObject(json.stats)) throw invalid(file, '#/stats', 'expected an object');
  for (const key of [
    'requests',
    'scriptRequests',
    'assertions',
    'failedAssertions',
    'scriptErrors',
  ] as const) {
    if (typeof json.stats[key] !== 'number') throw invalid(file, `#/stats/${key}`, 'expected a number');
  }
  if (!Array.isArray(json.cases)) throw invalid(file, '#/cases', 'expected an array');
  json.cases.forEach((c, i) => checkCase(c, file, `#/cases/${i}`));
  if (!Array.isArray(json.errors)) throw invalid(file, '#/errors', 'expected an array');
  if (typeof json.environmentFailure !== 'boolean') {
    throw invalid(file, '#/environmentFailure', 'expected true or false');
  }
  return json as unknown as RunResultFile;
}

/** Reads a run result file. @throws InputNotFoundError, InputUnreadableError, InvalidJsonError */
export async function readRunResult(file: string): Promise<RunResultFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputNotFoundError('run result file not found', { file, cause: err });
    throw new InputUnreadableError(`cannot read the run result file (${code ?? 'unknown error'})`, {
      file,
      cause: err,
    });
  }
  return parseRunResult(text, file);
}

/**
 * Joins the results of shards into the result one unsharded run gives: cases in collection order, tallies summed,
 * the verdict recomputed. A case in two files is an input error (the same shard given twice).
 */
export function mergeRunResults(
  files: readonly { file: string; result: RunResultFile }[],
): Omit<RunResult, 'reports'> {
  const seen = new Map<string, string>();
  const cases: CaseRecord[] = [];
  const errors: { order: number; error: TransportError }[] = [];
  let environmentFailure = false;
  const tallies = { assertions: 0, failedAssertions: 0, scriptErrors: 0, scriptRequests: 0, requests: 0 };
  for (const { file, result } of files) {
    for (const record of result.cases) {
      const other = seen.get(record.key);
      if (other !== undefined) {
        throw new InvalidJsonError(
          `case "${record.key}" is also in ${other}: the same shard was given twice`,
          {
            file,
            fix: 'pass each shard result once',
          },
        );
      }
      seen.set(record.key, file);
      cases.push(record);
    }
    const orderOf = new Map(result.cases.map((c) => [`${c.folder}\u0000${c.name}`, c.order]));
    for (const error of result.errors) {
      errors.push({ order: orderOf.get(`${error.folder}\u0000${error.caseName}`) ?? -1, error });
    }
    environmentFailure ||= result.environmentFailure;
    tallies.assertions += result.stats.assertions;
    tallies.failedAssertions += result.stats.failedAssertions;
    tallies.scriptErrors += result.stats.scriptErrors;
    tallies.scriptRequests += result.stats.scriptRequests;
    tallies.requests += result.stats.requests;
  }
  cases.sort((a, b) => a.order - b.order);
  errors.sort((a, b) => a.order - b.order);
  const merged = resultFromCases(cases, { ...tallies, requestErrors: errors.map((e) => e.error) });
  if (!environmentFailure) return merged;
  return { ...merged, environmentFailure: true, passed: false };
}
