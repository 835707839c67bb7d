/**
 * Writes the report files of a run (or of merged shards): the JSON run result, JUnit (one testcase per case) and
 * HTML. Each goes to a staging file first and is renamed into place, so a reader never sees half a report; every
 * text passes the run's redactor.
 */

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { renderHtmlReport, renderJunit } from './reporters/index.js';
import { redactText } from './redact.js';
import type { Redactor } from './redact.js';
import { serializeRunResult } from './result-file.js';
import type { ReporterName, RunResult } from './types.js';

export interface ReportTarget {
  reporter: 'json' | 'junit' | 'html';
  file: string;
}

const FLAG = { json: '--json-report', junit: '--junit', html: '--html' } as const;

/** The files the reporters write. @throws UsageError when a file reporter has no file */
export function reportTargets(
  reporters: readonly ReporterName[],
  files: { jsonReportFile?: string; junitFile?: string; htmlFile?: string },
): ReportTarget[] {
  const targets: ReportTarget[] = [];
  for (const reporter of ['json', 'junit', 'html'] as const) {
    if (!reporters.includes(reporter)) continue;
    const file =
      reporter === 'json' ? files.jsonReportFile : reporter === 'junit' ? files.junitFile : files.htmlFile;
    if (!file) {
      throw new UsageError(`the ${reporter} reporter needs a report file`, {
        fix: `pass ${FLAG[reporter]} FILE`,
      });
    }
    targets.push({ reporter, file: resolve(file) });
  }
  return targets;
}

/** Writes every target; returns the paths written, keyed by reporter. */
export async function writeReports(
  result: Omit<RunResult, 'reports'>,
  targets: readonly ReportTarget[],
  redactor: Redactor,
  title: string,
  shard?: { index: number; total: number },
): Promise<RunResult['reports']> {
  const reports: RunResult['reports'] = {};
  const run = { ...result, reports: {} };
  for (const target of targets) {
    const text =
      target.reporter === 'json'
        ? serializeRunResult(result, { redactor, ...(shard === undefined ? {} : { shard }) })
        : target.reporter === 'junit'
          ? renderJunit(run, { redactor })
          : renderHtmlReport(run, { title, redactor });
    const staging = `${target.file}.${process.pid}.partial`;
    await mkdir(dirname(target.file), { recursive: true });
    try {
      await writeFile(staging, redactText(text, redactor));
      await rename(staging, target.file);
    } finally {
      await rm(staging, { force: true });
    }
    reports[target.reporter] = target.file;
  }
  return reports;
}
