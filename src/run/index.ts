/**
 * `run`: Newman as a library. Reads the collection and environment, supplies run-time variables (secrets from
 * the process environment), runs Newman, writes redacted JUnit/JSON reports and returns a RunResult.
 */

import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import newman from 'newman';
import type { NewmanRunOptions, NewmanSummary } from 'newman';
import { RunFailedError, UsageError } from '../errors.js';
import { loadCollection, loadEnvironment } from './load-input.js';
import { createRedactor, findCredentialHeaders, redactJson, redactText } from './redact.js';
import type { Redactor } from './redact.js';
import { summarizeRun } from './result.js';
import type { RunTrack } from './result.js';
import { trackRun } from './track.js';
import type { RunOptions, RunResult } from './types.js';
import { resolveVariables } from './variables.js';

export type {
  CaseFailure,
  ReporterName,
  RunEvent,
  RunOptions,
  RunResult,
  RunStats,
  TransportError,
} from './types.js';
export { REPORTERS } from './types.js';
export { exitCodeFor, formatRunSummary, parseHint, summarizeRun } from './result.js';
export type { RunTrack, TrackedCase } from './result.js';
export { trackRun } from './track.js';
export { AWS_ENV_NAMES, ENV_PREFIX, envNameFor, isSecretKey, resolveVariables } from './variables.js';
export { createRedactor, findCredentialHeaders, redactJson, redactText, REDACTED } from './redact.js';

interface ReportTarget {
  reporter: 'junit' | 'json';
  /** Where the caller wants it. */
  file: string;
  /** Where Newman writes it; renamed over `file` once redacted again. */
  staging: string;
}

function redactReport(reporter: 'junit' | 'json', content: string, redactor: Redactor): string {
  if (reporter === 'junit') return redactText(content, redactor);
  try {
    return JSON.stringify(redactJson(JSON.parse(content), redactor), null, 2);
  } catch {
    return redactText(content, redactor);
  }
}

function runNewman(
  options: NewmanRunOptions,
  redactor: Redactor,
  onEvent: RunOptions['onEvent'],
): Promise<{ summary: NewmanSummary; track: RunTrack }> {
  return new Promise((resolvePromise, reject) => {
    let track: RunTrack = { cases: [], scriptRequests: 0 };
    const emitter = newman.run(options, (err, summary) => {
      if (err) {
        if (/Unable to find a folder or request/i.test(err.message)) {
          reject(
            new UsageError(err.message.replace(/^runtime~\w+:\s*/, ''), { fix: 'check the --folder names' }),
          );
        } else {
          reject(new RunFailedError(`newman could not run the collection: ${err.message}`, { cause: err }));
        }
        return;
      }
      resolvePromise({ summary, track });
    });
    // Reporters are attached once the run starts; this `beforeDone` listener therefore runs after theirs and
    // redacts their file contents before Newman writes them, so no secret ever reaches the disk.
    emitter.once('start', () => {
      emitter.on('beforeDone', () => {
        for (const item of emitter.exports) {
          const reporter =
            item.name === 'junit-reporter' ? 'junit' : item.name === 'json-reporter' ? 'json' : undefined;
          if (reporter === undefined) continue;
          const text =
            typeof item.content === 'string' ? item.content : JSON.stringify(item.content, null, 2);
          item.content = redactReport(reporter, text, redactor);
        }
      });
    });
    track = trackRun(emitter, onEvent);
  });
}

/** Re-reads each staged report, redacts it again (belt and braces) and moves it into place atomically. */
async function finishReports(targets: readonly ReportTarget[], redactor: Redactor): Promise<void> {
  for (const target of targets) {
    const content = await readFile(target.staging, 'utf8');
    await writeFile(target.staging, redactReport(target.reporter, content, redactor));
    await rename(target.staging, target.file);
  }
}

/**
 * Runs a Postman collection with Newman and returns what happened.
 *
 * Variables: `envVars` win over the process environment (`APIGW_AUTHZ_<KEY>`, see `envNameFor`, and the
 * standard AWS variables for `awsAccessKeyId`, `awsSecretAccessKey`, `awsSessionToken`, `awsRegion`), which wins
 * over the environment file. Secret values, credential headers and JWTs are redacted from the JUnit and JSON
 * reports. A run where every request fails with a transport error returns `environmentFailure: true`.
 *
 * @throws InputNotFoundError, InvalidJsonError: the collection or environment is missing or not what we expect
 * @throws UsageError: a report file is missing for a reporter, or `folders` names nothing in the collection
 * @throws RunFailedError: Newman itself failed
 */
export async function runCollection(options: RunOptions): Promise<RunResult> {
  const collection = await loadCollection(options.collection);
  const environment =
    options.environment === undefined ? undefined : await loadEnvironment(options.environment);
  const reporters = [...new Set(options.reporters ?? [])];

  const targets: ReportTarget[] = [];
  for (const reporter of ['junit', 'json'] as const) {
    if (!reporters.includes(reporter)) continue;
    const file = reporter === 'junit' ? options.junitFile : options.jsonReportFile;
    if (!file) {
      throw new UsageError(`the ${reporter} reporter needs a report file`, {
        fix: reporter === 'junit' ? 'pass --junit FILE' : 'pass --json-report FILE',
      });
    }
    const absolute = resolve(file);
    targets.push({ reporter, file: absolute, staging: `${absolute}.${process.pid}.partial` });
  }

  const variables = resolveVariables(
    [...(environment?.variables ?? []), ...collection.variables],
    options.envVars,
    options.processEnv,
  );
  const redactor = createRedactor(
    variables.secretValues,
    [...findCredentialHeaders(collection.json), ...(options.sensitiveHeaders ?? [])],
    variables.secretKeys,
  );

  for (const target of targets) await mkdir(dirname(target.file), { recursive: true });
  const reporterOptions: Record<string, Record<string, unknown>> = {};
  for (const target of targets) reporterOptions[target.reporter] = { export: target.staging };
  const noColor = options.processEnv?.NO_COLOR !== undefined && options.processEnv.NO_COLOR !== '';

  try {
    const { summary, track } = await runNewman(
      {
        collection: collection.json,
        ...(environment === undefined ? {} : { environment: environment.json }),
        envVar: variables.envVar,
        reporters,
        reporter: reporterOptions,
        ...(options.folders && options.folders.length > 0 ? { folder: options.folders } : {}),
        ...(options.timeoutRequestMs === undefined ? {} : { timeoutRequest: options.timeoutRequestMs }),
        color: options.color ?? (noColor ? 'off' : 'auto'),
      },
      redactor,
      options.onEvent,
    );
    await finishReports(targets, redactor);
    const reports: RunResult['reports'] = {};
    for (const target of targets) reports[target.reporter] = target.file;
    const result = summarizeRun(summary, track);
    // Failure messages quote response bodies; keep tokens and secrets out of the terminal and CI logs too.
    const clean = <T extends { message: string }>(entry: T): T => ({
      ...entry,
      message: redactText(entry.message, redactor),
    });
    return { ...result, failures: result.failures.map(clean), errors: result.errors.map(clean), reports };
  } finally {
    for (const target of targets) await rm(target.staging, { force: true });
  }
}
