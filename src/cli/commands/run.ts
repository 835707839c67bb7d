/** `apigw-authz run`: runs a generated collection with Newman (on N workers, or one shard of a CI matrix). */

import { availableParallelism } from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import { printRunOutcome } from '../run-outcome.js';
import { collectList, collectPair, parsePositiveInt } from '../options.js';
import type { CommandContext } from '../options.js';

export type RunReporter = 'cli' | 'json' | 'junit' | 'html';
const RUN_REPORTERS: readonly RunReporter[] = ['cli', 'json', 'junit', 'html'];

export function parseRunReporters(value: string): RunReporter[] {
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(RUN_REPORTERS as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `unknown reporter "${name}". Expected some of: ${RUN_REPORTERS.join(', ')}.`,
      );
    }
  }
  return names as RunReporter[];
}

/** `I/N` with 1 <= I <= N. */
export function parseShard(value: string): { index: number; total: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new InvalidArgumentError(`expected I/N with 1 <= I <= N (for example 2/3), got "${value}".`);
  }
  return { index, total };
}

/** Whether ANSI colour may be written to a stream: a TTY and no NO_COLOR. */
export function colorAllowed(isTty: boolean | undefined, env: Record<string, string | undefined>): boolean {
  return Boolean(isTty) && (env.NO_COLOR === undefined || env.NO_COLOR === '');
}

interface RunFlags {
  environment?: string;
  envVar: Record<string, string>;
  reporters: RunReporter[];
  junit?: string;
  jsonReport?: string;
  html?: string;
  folder: string[];
  timeoutRequest: number;
  parallel?: number;
  shard?: { index: number; total: number };
  json?: boolean;
}

export function registerRun(program: Command, { io, setExitCode }: CommandContext): void {
  program
    .command('run')
    .description('run a generated collection with Newman and summarize it per authorizer')
    .argument('<collection>', 'collection file written by generate')
    .option('--environment <file>', 'environment file written by generate')
    .option(
      '--env-var <key=value>',
      'set a variable (repeatable); wins over the environment',
      collectPair,
      {},
    )
    .option('--reporters <list>', 'cli,json,junit,html', parseRunReporters, ['cli'])
    .option('--junit <file>', 'JUnit XML report, one testcase per case (with the junit reporter)')
    .option('--json-report <file>', 'run result JSON, the input of `report merge` (with the json reporter)')
    .option('--html <file>', 'self-contained HTML report (with the html reporter)')
    .option('--folder <name>', 'run only this folder (repeatable)', collectList, [])
    .option(
      '--parallel <n>',
      'worker threads (default: the number of CPU cores; 1 runs in-process)',
      parsePositiveInt,
    )
    .option(
      '--shard <i/n>',
      'run only slice I of N (a CI matrix job); join them with `report merge`',
      parseShard,
    )
    .option('--json', 'print the run result as one JSON object on stdout')
    .option('--timeout-request <ms>', 'per-request timeout in milliseconds', parsePositiveInt, 10_000)
    .addHelpText(
      'after',
      '\nSecrets come from --env-var or the process environment: APIGW_AUTHZ_<KEY> (KEY upper-cased, other\ncharacters as _), and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN / AWS_REGION.\nWith GITHUB_STEP_SUMMARY set, a Markdown summary is appended to that file.\n\nExample:\n  apigw-authz run generated/petstore-authz.postman_collection.json \\\n    --environment generated/petstore-authz.postman_environment.json --env-var baseUrl=http://127.0.0.1:4010/prod\n',
    )
    .action(async (collection: string, flags: RunFlags) => {
      const run = await import('../../run/index.js');
      const { createProgress } = await import('../../run/reporters/index.js');
      const stderrTty = colorAllowed(process.stderr.isTTY, io.env);
      const parallel = flags.parallel ?? availableParallelism();
      const reporters = flags.reporters;
      // Newman's own per-request log is for an in-process run only (workers would interleave it); it goes to
      // stderr with the other logs, without ANSI unless stderr is a colour terminal.
      const newmanLog = reporters.includes('cli') && !flags.json && parallel === 1;
      let progress = createProgress({ write: io.stderr, isTty: false, total: 0 });
      const result = await run.runCollection({
        collection: path.resolve(io.cwd, collection),
        ...(flags.environment ? { environment: path.resolve(io.cwd, flags.environment) } : {}),
        envVars: flags.envVar,
        processEnv: io.env,
        reporters: newmanLog ? reporters : reporters.filter((r) => r !== 'cli'),
        ...(flags.junit ? { junitFile: path.resolve(io.cwd, flags.junit) } : {}),
        ...(flags.jsonReport ? { jsonReportFile: path.resolve(io.cwd, flags.jsonReport) } : {}),
        ...(flags.html ? { htmlFile: path.resolve(io.cwd, flags.html) } : {}),
        folders: flags.folder,
        parallel,
        ...(flags.shard ? { shard: flags.shard } : {}),
        timeoutRequestMs: flags.timeoutRequest,
        color: stderrTty ? 'on' : 'off',
        ...(newmanLog ? { newmanOutput: io.stderr } : {}),
        onPlan: (total) => {
          progress = createProgress({ write: io.stderr, isTty: stderrTty && !newmanLog, total });
        },
        onCase: (record) => progress.onCase(record),
        onWarning: (line) => io.stderr(`warning: ${line}\n`),
      });
      progress.done();
      await printRunOutcome(io, result, { json: flags.json, cli: reporters.includes('cli') });
      setExitCode(run.exitCodeFor(result));
    });
}
