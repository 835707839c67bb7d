/**
 * `run`: Newman as a library. Reads the collection and environment, supplies run-time variables (secrets from
 * the process environment), runs Newman, writes redacted JUnit/JSON reports and returns a RunResult.
 */

import { UsageError } from '../errors.js';
import { isObject } from '../model/parse.js';
import type { ItemRun } from './collect.js';
import { balanceUnits, indexCollection, shardUnits, withIds } from './collection-index.js';
import type { CollectionIndex, RunUnit } from './collection-index.js';
import { executeGroups } from './execute.js';
import { loadCollection, loadEnvironment } from './load-input.js';
import {
  checkRequiredVariables,
  fetchTokens,
  inspectSuppliedTokens,
  probeBaseUrl,
  requiredVariables,
} from './preflight.js';
import { buildRunResult, caseRecordOf, resultFromCases } from './records.js';
import { createRedactor, findCredentialHeaders, redactText } from './redact.js';
import { reportTargets, writeReports } from './write-reports.js';
import type { RunOptions, RunResult } from './types.js';
import { resolveVariables } from './variables.js';

export type {
  CaseCategory,
  CaseFailure,
  CaseOutcome,
  CaseRecord,
  ReporterName,
  RunEvent,
  RunOptions,
  RunResult,
  RunStats,
  TransportError,
} from './types.js';
export { CASE_CATEGORIES, REPORTERS } from './types.js';
export { exitCodeFor, formatRunSummary, parseHint, ROOT_FOLDER } from './result.js';
export { AWS_ENV_NAMES, ENV_PREFIX, envNameFor, isSecretKey, resolveVariables } from './variables.js';
export { createRedactor, findCredentialHeaders, redactJson, redactText, REDACTED } from './redact.js';
export { balanceUnits, indexCollection, shardUnits } from './collection-index.js';
export type { CollectionIndex, IndexedItem, RunUnit } from './collection-index.js';
export { buildRunResult, caseRecordOf, firstHint, resultFromCases } from './records.js';
export {
  mergeRunResults,
  parseRunResult,
  readRunResult,
  RUN_RESULT_FORMAT,
  serializeRunResult,
} from './result-file.js';
export type { RunResultFile } from './result-file.js';
export { inspectSuppliedTokens } from './preflight.js';
export type { TokenCheck } from './preflight.js';
export { reportTargets, writeReports } from './write-reports.js';
export type { ReportTarget } from './write-reports.js';

/** A `--folder` name or id -> the units (or the part of one unit) it selects. */
function selectFolders(
  collection: Record<string, unknown>,
  index: CollectionIndex,
  names: readonly string[],
): RunUnit[] {
  const unitIds = new Set(index.units.map((u) => u.id));
  const picked = new Map<string, RunUnit>();
  const missing: string[] = [];
  for (const name of names) {
    let found = false;
    const visit = (node: Record<string, unknown>, insideUnit: string | undefined): void => {
      const id = typeof node.id === 'string' ? node.id : '';
      const unit = insideUnit ?? (unitIds.has(id) ? id : undefined);
      const matches = node !== collection && (node.name === name || id === name);
      if (matches) {
        found = true;
        const ids = new Set<string>();
        const collect = (n: Record<string, unknown>): void => {
          if (!Array.isArray(n.item)) {
            if (typeof n.id === 'string') ids.add(n.id);
            return;
          }
          for (const child of n.item) if (isObject(child)) collect(child);
        };
        collect(node);
        const items = index.items.filter((i) => ids.has(i.id));
        const whole = index.units.filter((u) => items.some((i) => i.unit === u.id));
        if (unit === undefined || id === unit) {
          for (const u of whole) picked.set(u.id, u);
        } else if (items.length > 0) {
          // part of a unit (a request, or a folder inside one): run just that part
          picked.set(id, {
            id,
            path: [String(node.name ?? id)],
            cases: items.length,
            weight: items.length,
            order: items[0]?.order ?? 0,
          });
        }
        return;
      }
      if (Array.isArray(node.item)) for (const child of node.item) if (isObject(child)) visit(child, unit);
    };
    visit(collection, undefined);
    if (!found) missing.push(name);
  }
  if (missing.length > 0) {
    throw new UsageError(
      `--folder ${missing.map((m) => `"${m}"`).join(', ')} matches no folder or request of the collection; ` +
        `its folders are: ${index.folderNames.map((f) => `"${f}"`).join(', ')}`,
      { fix: 'pass one of those names (repeat --folder for several)' },
    );
  }
  return [...picked.values()].sort((a, b) => a.order - b.order);
}

/** Sets collection variables (the tokens fetched before the run) in a copy of the collection. */
function seedVariables(
  collection: Record<string, unknown>,
  values: Record<string, string>,
): Record<string, unknown> {
  if (Object.keys(values).length === 0) return collection;
  const list = Array.isArray(collection.variable) ? collection.variable.filter(isObject) : [];
  const seeded = list.map((v) =>
    typeof v.key === 'string' && Object.hasOwn(values, v.key) ? { ...v, value: values[v.key] } : v,
  );
  for (const [key, value] of Object.entries(values)) {
    if (!seeded.some((v) => v.key === key)) seeded.push({ key, value, type: 'string' });
  }
  return { ...collection, variable: seeded };
}

/**
 * Runs a Postman collection with Newman and returns what happened, one CaseRecord per case.
 *
 * Variables: `envVars` win over the process environment (`APIGW_AUTHZ_<KEY>`, see `envNameFor`, and the
 * standard AWS variables for `awsAccessKeyId`, `awsSecretAccessKey`, `awsSessionToken`, `awsRegion`), which wins
 * over the environment file. Before the first request (unless `skipPreflight`): every required variable must have
 * a value, `baseUrl` must accept connections (else a result with `environmentFailure: true`, nothing sent), and
 * the collection's token scripts run once; their tokens reach every worker in memory. `parallel` > 1 runs the
 * units on worker threads; `shard` runs a deterministic slice. Secret values, credential headers and JWTs are
 * redacted from every report written.
 *
 * @throws InputNotFoundError, InvalidJsonError: the collection or environment is missing or not what we expect
 * @throws UsageError: a report file is missing, a `folders` name matches nothing, a required variable is missing
 * @throws NetworkError: the token fetch failed (nothing else was sent)
 * @throws RunFailedError: Newman itself failed
 */
export async function runCollection(options: RunOptions): Promise<RunResult> {
  const loaded = await loadCollection(options.collection);
  const collection = { ...loaded, json: withIds(loaded.json) };
  const environment =
    options.environment === undefined ? undefined : await loadEnvironment(options.environment);
  const reporters = [...new Set(options.reporters ?? [])];
  const targets = reportTargets(reporters, options);
  const parallel = Math.max(1, Math.floor(options.parallel ?? 1));
  if (options.shard) {
    const { index: i, total } = options.shard;
    if (!Number.isInteger(i) || !Number.isInteger(total) || total < 1 || i < 1 || i > total) {
      throw new UsageError(`shard ${i}/${total} does not exist`, {
        fix: 'pass --shard I/N with 1 <= I <= N',
      });
    }
  }

  const variables = resolveVariables(
    [...(environment?.variables ?? []), ...collection.variables],
    options.envVars,
    options.processEnv,
  );
  let redactor = createRedactor(
    variables.secretValues,
    [...findCredentialHeaders(collection.json), ...(options.sensitiveHeaders ?? [])],
    variables.secretKeys,
  );

  const index = indexCollection(collection.json);
  const folders = options.folders ?? [];
  let subset: RunUnit[] | undefined =
    folders.length > 0 ? selectFolders(collection.json, index, folders) : undefined;
  if (options.shard) {
    subset = shardUnits(subset ?? index.units, options.shard.index, options.shard.total);
  }

  let seeded = collection.json;
  let preflightRequests = 0;
  if (!options.skipPreflight) {
    const required = requiredVariables(collection.json, environment?.json);
    checkRequiredVariables(required, variables.values, collection.json, subset);
    const tokenChecks = inspectSuppliedTokens(collection.json, variables.values);
    const refused = tokenChecks.find((c) => c.severity === 'error');
    if (refused) {
      throw new UsageError(
        `supplied token refused before the run: ${redactText(refused.message, redactor)}`,
        {
          fix: refused.fix,
        },
      );
    }
    for (const check of tokenChecks)
      options.onWarning?.(`${redactText(check.message, redactor)}. ${check.fix}`);
    const baseUrl = variables.values.get('baseUrl');
    const problem = baseUrl ? await probeBaseUrl(baseUrl) : undefined;
    if (problem) {
      const result = resultFromCases([], {
        assertions: 0,
        failedAssertions: 0,
        scriptErrors: 0,
        scriptRequests: 0,
        requests: 0,
        requestErrors: [{ caseName: '(pre-flight)', folder: '(pre-flight)', ...problem }],
      });
      const failed = { ...result, environmentFailure: true, passed: false };
      return {
        ...failed,
        reports: await writeReports(failed, targets, redactor, titleOf(collection.json), options.shard),
      };
    }
    if (subset === undefined || subset.length > 0) {
      const tokens = await fetchTokens(
        collection.json,
        environment?.json,
        variables.envVar,
        subset,
        redactor,
        options.timeoutRequestMs,
      );
      preflightRequests = tokens.scriptRequests;
      seeded = seedVariables(collection.json, tokens.variables);
      // The fetched tokens are secrets of this run, whatever they look like.
      redactor = createRedactor(
        [...redactor.secretValues, ...Object.values(tokens.variables).filter((v) => v.length >= 16)],
        [...redactor.sensitiveHeaders],
        [...redactor.secretKeys],
      );
    }
  }

  const units = subset ?? index.units;
  const whole = subset === undefined;
  const groups: (string[] | undefined)[] =
    units.length === 0
      ? []
      : parallel <= 1 || units.length === 1
        ? [whole ? undefined : units.map((u) => u.id)]
        : balanceUnits(units, parallel).map((g) => g.map((u) => u.id));

  const unitIds = new Set(units.map((u) => u.id));
  options.onPlan?.(whole ? index.items.length : index.items.filter((i) => unitIds.has(i.unit)).length);
  const runs: ItemRun[] = [];
  const onCase = options.onCase;
  const folderOf: Record<string, string> = {};
  if (options.onEvent) for (const item of index.items) folderOf[item.id] = item.folder;
  const cliWrite = options.newmanOutput;
  const cleanRedactor = redactor;
  const totals =
    groups.length === 0
      ? { scriptRequests: 0 }
      : await executeGroups(
          {
            collection: seeded,
            ...(environment === undefined ? {} : { environment: environment.json }),
            envVar: variables.envVar,
            ...(options.timeoutRequestMs === undefined ? {} : { timeoutRequest: options.timeoutRequestMs }),
            events: options.onEvent !== undefined,
            ...(options.onEvent ? { folders: folderOf } : {}),
          },
          groups,
          {
            onItem: (run) => {
              runs.push(run);
              const item = index.byId.get(run.id);
              if (onCase && item) onCase(caseRecordOf(item, run, cleanRedactor));
            },
            ...(options.onEvent ? { onEvent: options.onEvent } : {}),
          },
          reporters.includes('cli') && cliWrite
            ? {
                write: (text) => cliWrite(redactText(text, cleanRedactor)),
                color: options.color === 'on' ? 'on' : 'off',
              }
            : undefined,
        );

  const result = buildRunResult(
    index,
    runs,
    { scriptRequests: preflightRequests + totals.scriptRequests },
    redactor,
  );
  const reports = await writeReports(result, targets, redactor, titleOf(collection.json), options.shard);
  return { ...result, reports };
}

function titleOf(collection: Record<string, unknown>): string {
  const info = collection.info;
  return isObject(info) && typeof info.name === 'string' ? info.name : 'apigw-authz run';
}
