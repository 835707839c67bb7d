/** What `run` and `report merge` print once a result is in: the same verdict, whether sharded or not. */

import { appendFile } from 'node:fs/promises';
import type { RunResult } from '../run/index.js';
import type { CliIo } from './main.js';

/**
 * The result on stdout (one JSON object with `--json`, the per-authorizer summary with the `cli` reporter, else
 * only the verdict line) and, with `GITHUB_STEP_SUMMARY` set, the Markdown summary appended to that file.
 */
export async function printRunOutcome(
  io: CliIo,
  result: RunResult,
  options: { json?: boolean; cli: boolean },
): Promise<void> {
  const run = await import('../run/index.js');
  const { renderStepSummary } = await import('../run/reporters/index.js');
  if (options.json) {
    io.stdout(`${JSON.stringify({ format: run.RUN_RESULT_FORMAT, ...result }, null, 2)}\n`);
  } else if (options.cli) {
    io.stdout(run.formatRunSummary(result));
  } else {
    io.stdout(`${run.formatRunSummary(result).split('\n')[0] ?? ''}\n`);
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile) await appendFile(summaryFile, renderStepSummary(result));
}
