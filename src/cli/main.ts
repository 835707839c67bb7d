import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerDoctor } from './commands/doctor.js';
import { registerExplain } from './commands/explain.js';
import { registerGenerate } from './commands/generate.js';
import { registerProbe } from './commands/probe.js';
import { registerReport } from './commands/report.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { describeFailure, ExitCode } from './exit-codes.js';
import { HELP_SETTINGS } from './options.js';

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

/** Runs the CLI and returns the exit code; never calls process.exit, so output can flush. */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = buildProgram(io, argv.slice(2), (code) => {
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
    // The stack only on request: a user gets one line, a bug report can include the trace.
    if (failure.exitCode === ExitCode.internal && io.env.APIGW_AUTHZ_DEBUG && error instanceof Error) {
      io.stderr(`${error.stack ?? error.message}\n`);
    }
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

function buildProgram(io: CliIo, args: readonly string[], setExitCode: (code: number) => void): Command {
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
    .showHelpAfterError(false)
    .configureHelp(HELP_SETTINGS);

  const context = { io, setExitCode, args };
  registerGenerate(program, context);
  registerRun(program, context);
  registerReport(program, context);
  registerServe(program, context);
  registerDoctor(program, context);
  registerProbe(program, context);
  registerExplain(program, context);
  return program;
}
