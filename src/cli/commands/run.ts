/** `apigw-authz run`: runs a generated collection with Newman. */

import path from 'node:path';
import { UsageError } from '../../errors.js';
import { collectList, collectPair, parsePositiveInt, parseReporters } from '../options.js';
import type { Command } from 'commander';
import type { CommandContext } from '../options.js';

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
    .option('--reporters <list>', 'cli,junit,json', parseReporters, ['cli'])
    .option('--junit <file>', 'JUnit XML report file (with the junit reporter)')
    .option('--json-report <file>', 'JSON report file (with the json reporter)')
    .option('--folder <name>', 'run only this folder (repeatable)', collectList, [])
    .option('--timeout-request <ms>', 'per-request timeout in milliseconds', parsePositiveInt, 10_000)
    .addHelpText(
      'after',
      '\nSecrets come from --env-var or the process environment: APIGW_AUTHZ_<KEY> (KEY upper-cased, other\ncharacters as _), and AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN / AWS_REGION.\n\nExample:\n  apigw-authz run generated/petstore-authz.postman_collection.json \\\n    --environment generated/petstore-authz.postman_environment.json --env-var baseUrl=http://127.0.0.1:4010/prod\n',
    )
    .action(
      async (
        collection: string,
        flags: {
          environment?: string;
          envVar: Record<string, string>;
          reporters: ('cli' | 'junit' | 'json')[];
          junit?: string;
          jsonReport?: string;
          folder: string[];
          timeoutRequest: number;
        },
      ) => {
        if (flags.reporters.includes('junit') && !flags.junit) {
          throw new UsageError('the junit reporter needs --junit FILE.', { fix: 'add --junit results.xml' });
        }
        if (flags.reporters.includes('json') && !flags.jsonReport) {
          throw new UsageError('the json reporter needs --json-report FILE.', {
            fix: 'add --json-report results.json',
          });
        }
        const { runCollection, exitCodeFor, formatRunSummary } = await import('../../run/index.js');
        const result = await runCollection({
          collection: path.resolve(io.cwd, collection),
          environment: flags.environment ? path.resolve(io.cwd, flags.environment) : undefined,
          envVars: flags.envVar,
          processEnv: io.env,
          reporters: flags.reporters,
          junitFile: flags.junit ? path.resolve(io.cwd, flags.junit) : undefined,
          jsonReportFile: flags.jsonReport ? path.resolve(io.cwd, flags.jsonReport) : undefined,
          folders: flags.folder,
          timeoutRequestMs: flags.timeoutRequest,
          color: io.env.NO_COLOR ? 'off' : 'auto',
        });
        io.stderr(formatRunSummary(result));
        setExitCode(exitCodeFor(result));
      },
    );
}
