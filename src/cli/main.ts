import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DEPTHS, type Depth } from '../config/types.js';
import { sourceFromFlags } from '../api/source-flags.js';
import { UsageError } from '../errors.js';
import { describeFailure, ExitCode } from './exit-codes.js';
import { formatGenerateSummary } from './format.js';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Resolves when serve should stop (SIGINT/SIGTERM in the real process). */
  waitForStop: () => Promise<void>;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
  waitForStop: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};

interface SourceFlags {
  export?: string;
  api?: string;
  parameter?: Record<string, string>;
  account?: string;
  restApi?: string;
  stage?: string;
  region?: string;
  profile?: string;
  config?: string;
}

type GenerateFlags = SourceFlags & { out: string; depth?: Depth; json?: boolean; check?: boolean };

/** Runs the CLI and returns the exit code; never calls process.exit, so output can flush. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (error) {
    const failure = describeFailure(error);
    // commander has already printed help/version; those are not failures
    if (isCommanderExit(error)) return (error as { exitCode: number }).exitCode === 0 ? 0 : failure.exitCode;
    io.stderr(`apigw-authz: ${failure.line}\n`);
    return failure.exitCode;
  }
}

function isCommanderExit(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return (
    code === 'commander.helpDisplayed' ||
    code === 'commander.version' ||
    code === 'commander.help' ||
    code === 'commander.executeSubCommandAsync'
  );
}

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

function buildProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('apigw-authz')
    .description('Prove every Amazon API Gateway route is protected the way its authorizers say.')
    .version(packageVersion())
    .exitOverride()
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // describeFailure prints the one line; commander must not print it a second time
      outputError: () => undefined,
    })
    .showHelpAfterError(false);

  const withSource = (command: Command): Command =>
    command
      .argument(
        '[source]',
        'API Gateway export, CloudFormation/SAM template, cdk.out or .serverless folder, or Terraform plan JSON',
      )
      .option('--export <file>', 'the source, as a flag (any kind; kept for older scripts)')
      .option('--api <nameOrLogicalId>', 'which API, when the source defines several')
      .option('--parameter <key=value>', 'template parameter override (repeatable)', collectPair, {})
      .option('--rest-api <idOrName>', 'read the live REST API from AWS instead (read-only calls)')
      .option('--stage <name>', 'stage of the live API (with --rest-api), or of a template API with several')
      .option('--region <region>', 'AWS region; for a template, the AWS::Region pseudo parameter')
      .option('--account <id>', 'for a template, the AWS::AccountId pseudo parameter')
      .option('--profile <name>', 'AWS shared config profile')
      .option('--config <file>', 'apigw-authz config file (YAML or JSON)');

  withSource(program.command('generate'))
    .description('write the Postman collection and environment that prove every route’s authorization')
    .option('--out <dir>', 'output directory', 'generated')
    .addOption(new Option('--depth <depth>', 'how many negative cases').choices([...DEPTHS]))
    .option('--json', 'print the summary as one JSON object on stdout')
    .option('--check', 'write nothing; exit 1 when the files in --out are stale')
    .addHelpText(
      'after',
      '\nExample:\n  apigw-authz generate api.oas30.yaml --config apigw-authz.config.yaml --out generated\n' +
        '  apigw-authz generate cdk.out --api MyApi --parameter Stage=prod --region eu-west-1\n' +
        '  serverless package && apigw-authz generate .serverless/\n',
    )
    .action(async (sourcePath: string | undefined, flags: GenerateFlags) => {
      // Each command loads only its own modules: Newman, the AWS SDK and the emulator are slow to import.
      const { generate } = await import('../api/generate.js');
      const { staleFiles, writeFilesAtomically } = await import('../api/output-files.js');
      const progress = flags.json ? undefined : (message: string) => io.stderr(`${message}\n`);
      const result = await generate({
        source: sourceFromFlags({ ...flags, source: sourcePath }),
        configFile: flags.config,
        outDir: flags.out,
        depth: flags.depth,
        cwd: io.cwd,
        onProgress: progress,
      });
      if (flags.check) {
        const stale = await staleFiles(result.files);
        if (flags.json) io.stdout(`${JSON.stringify({ ...result.summary, stale }, null, 2)}\n`);
        for (const file of stale) {
          io.stderr(`stale: ${path.relative(io.cwd, file)} (run apigw-authz generate to update it)\n`);
        }
        if (!flags.json && stale.length === 0) io.stdout('generated files are up to date\n');
        setExitCode(stale.length > 0 ? ExitCode.failed : ExitCode.ok);
        return;
      }
      await writeFilesAtomically(result.files);
      io.stdout(
        flags.json
          ? `${JSON.stringify(result.summary, null, 2)}\n`
          : formatGenerateSummary(result.summary, io.cwd),
      );
    });

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
        const { runCollection, exitCodeFor, formatRunSummary } = await import('../run/index.js');
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

  withSource(program.command('serve'))
    .description(
      'serve the API as a local API Gateway front door (authorizers, Cognito, SigV4, gateway responses)',
    )
    .option('--port <n>', 'port (0: any free port)', parsePort, 4010)
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .addHelpText(
      'after',
      '\nExample:\n  apigw-authz serve --export api.oas30.yaml --config apigw-authz.config.yaml --port 4010\n',
    )
    .action(async (sourcePath: string | undefined, flags: SourceFlags & { port: number; host: string }) => {
      const { loadSource } = await import('../api/load-source.js');
      const { startGateway } = await import('../emulator/index.js');
      const loaded = await loadSource({
        source: sourceFromFlags({ ...flags, source: sourcePath }),
        configFile: flags.config,
        cwd: io.cwd,
        onProgress: (message) => io.stderr(`${message}\n`),
      });
      const gateway = await startGateway({
        model: loaded.model,
        config: loaded.config,
        host: flags.host,
        port: flags.port,
        env: io.env,
      });
      for (const warning of [...loaded.warnings, ...gateway.warnings]) io.stderr(`warning: ${warning}\n`);
      io.stdout(`listening on ${gateway.url}\n`);
      await io.waitForStop();
      await gateway.stop();
    });

  withSource(program.command('doctor'))
    .description('check the configuration against the AWS troubleshooting guides')
    .option('--json', 'print the findings as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  apigw-authz doctor --export api.oas30.yaml --config apigw-authz.config.yaml\n',
    )
    .action(async (sourcePath: string | undefined, flags: SourceFlags & { json?: boolean }) => {
      const { loadSource } = await import('../api/load-source.js');
      const { checkHandlerPolicies, diagnose, formatFindings } = await import('../doctor/index.js');
      const loaded = await loadSource({
        source: sourceFromFlags({ ...flags, source: sourcePath }),
        configFile: flags.config,
        cwd: io.cwd,
        onProgress: flags.json ? undefined : (message) => io.stderr(`${message}\n`),
        lenient: true,
      });
      if (!flags.json) for (const warning of loaded.warnings) io.stderr(`warning: ${warning}\n`);
      const handlerChecks = await checkHandlerPolicies(loaded.model, loaded.config, { log: io.stderr });
      const findings = diagnose(loaded.model, loaded.config, { drift: loaded.drift, handlerChecks });
      io.stdout(flags.json ? `${JSON.stringify({ findings }, null, 2)}\n` : formatFindings(findings));
      setExitCode(findings.some((finding) => finding.severity === 'error') ? ExitCode.failed : ExitCode.ok);
    });

  program
    .command('probe')
    .description('run the Lambda authorizer cases through TestInvokeAuthorizer, without deploying')
    .requiredOption('--rest-api <idOrName>', 'the live REST API')
    .requiredOption('--stage <name>', 'its stage')
    .option('--region <region>', 'AWS region')
    .option('--profile <name>', 'AWS shared config profile')
    .option('--config <file>', 'apigw-authz config file (valid tokens and identity values)')
    .option('--json', 'print the results as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  apigw-authz probe --rest-api petstore --stage prod --config apigw-authz.config.yaml\n',
    )
    .action(async (flags: SourceFlags & { restApi: string; stage: string; json?: boolean }) => {
      const { loadSource } = await import('../api/load-source.js');
      const { createApiGatewayClient } = await import('../sources/aws-rest/reader.js');
      const { probeAuthorizers, formatProbeResults } = await import('../probe/index.js');
      const loaded = await loadSource({
        source: sourceFromFlags(flags),
        configFile: flags.config,
        cwd: io.cwd,
        onProgress: flags.json ? undefined : (message) => io.stderr(`${message}\n`),
      });
      const client = createApiGatewayClient({ region: flags.region, profile: flags.profile });
      const results = await probeAuthorizers({
        client,
        restApiId: loaded.model.api.id ?? flags.restApi,
        model: loaded.model,
        config: loaded.config,
      });
      io.stdout(flags.json ? `${JSON.stringify({ results }, null, 2)}\n` : formatProbeResults(results));
      setExitCode(results.some((result) => !result.ok) ? ExitCode.failed : ExitCode.ok);
    });

  return program;
}

function collectPair(value: string, previous: Record<string, string>): Record<string, string> {
  const separator = value.indexOf('=');
  if (separator <= 0) throw new InvalidArgumentError(`expected KEY=VALUE, got "${value}".`);
  return { ...previous, [value.slice(0, separator)]: value.slice(separator + 1) };
}

function collectList(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseReporters(value: string): ('cli' | 'junit' | 'json')[] {
  const known = ['cli', 'junit', 'json'] as const;
  const names = value.split(',').map((name) => name.trim());
  for (const name of names) {
    if (!(known as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(`unknown reporter "${name}". Expected some of: ${known.join(', ')}.`);
    }
  }
  return names as ('cli' | 'junit' | 'json')[];
}

function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number <= 0)
    throw new InvalidArgumentError('expected a positive integer.');
  return number;
}

function parsePort(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535) {
    throw new InvalidArgumentError('expected a port from 0 to 65535.');
  }
  return number;
}
