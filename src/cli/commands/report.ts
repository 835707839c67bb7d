/** `apigw-authz report merge`: joins the JSON results of `run --shard` jobs into one result, exit code and reports. */

import path from 'node:path';
import type { Command } from 'commander';
import { printRunOutcome } from '../run-outcome.js';
import { parseRunReporters } from './run.js';
import type { RunReporter } from './run.js';
import type { CommandContext } from '../options.js';

interface MergeFlags {
  reporters: RunReporter[];
  junit?: string;
  jsonReport?: string;
  html?: string;
  title: string;
  json?: boolean;
}

export function registerReport(program: Command, { io, setExitCode }: CommandContext): void {
  const report = program.command('report').description('work with the run results of `run --reporters json`');
  report
    .command('merge')
    .description(
      'join the JSON results of `run --shard` jobs into one result, one exit code and every report',
    )
    .argument('<results...>', 'run result files written by `run --reporters json --json-report FILE`')
    .option('--reporters <list>', 'cli,json,junit,html', parseRunReporters, ['cli'])
    .option('--junit <file>', 'JUnit XML report, one testcase per case (with the junit reporter)')
    .option('--json-report <file>', 'the merged run result JSON (with the json reporter)')
    .option('--html <file>', 'self-contained HTML report (with the html reporter)')
    .option('--title <text>', 'title of the HTML report', 'apigw-authz run')
    .option('--json', 'print the merged result as one JSON object on stdout')
    .addHelpText(
      'after',
      '\nThe exit code is the one an unsharded run gives: 0 all passed, 1 a case failed, 3 the API was unreachable.\nWith GITHUB_STEP_SUMMARY set, a Markdown summary is appended to that file.\n\nExample:\n  apigw-authz report merge shard-*/result.json --reporters cli,junit,html --junit junit.xml --html report.html\n',
    )
    .action(async (files: string[], flags: MergeFlags) => {
      const run = await import('../../run/index.js');
      const targets = run.reportTargets(flags.reporters, {
        ...(flags.junit ? { junitFile: path.resolve(io.cwd, flags.junit) } : {}),
        ...(flags.jsonReport ? { jsonReportFile: path.resolve(io.cwd, flags.jsonReport) } : {}),
        ...(flags.html ? { htmlFile: path.resolve(io.cwd, flags.html) } : {}),
      });
      const inputs = [];
      for (const file of files) {
        const absolute = path.resolve(io.cwd, file);
        inputs.push({ file, result: await run.readRunResult(absolute) });
      }
      const merged = run.mergeRunResults(inputs);
      const redactor = run.createRedactor([]);
      const reports = await run.writeReports(merged, targets, redactor, flags.title);
      const result = { ...merged, reports };
      await printRunOutcome(io, result, { json: flags.json, cli: flags.reporters.includes('cli') });
      setExitCode(run.exitCodeFor(result));
    });
}
