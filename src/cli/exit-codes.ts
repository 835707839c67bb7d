import { CommanderError } from 'commander';
import { ApigwAuthzError, EnvironmentError, InputError } from '../errors.js';

/** The exit-code contract of every command (DESIGN.md "Commands"). */
export const ExitCode = {
  ok: 0,
  /** a case failed (run), stale files (generate --check), an error-level finding (doctor) */
  failed: 1,
  /** bad usage or input */
  usage: 2,
  /** environment failure: network, AWS, runner crash */
  environment: 3,
  /** a bug in apigw-authz */
  internal: 70,
} as const;

/** The one place that maps an error to an exit code and a single line for stderr. */
export function describeFailure(error: unknown): { exitCode: number; line: string } {
  if (error instanceof CommanderError) {
    return { exitCode: ExitCode.usage, line: error.message.replace(/^error: /, '') };
  }
  if (error instanceof InputError) return { exitCode: ExitCode.usage, line: error.toLine() };
  if (error instanceof EnvironmentError) return { exitCode: ExitCode.environment, line: error.toLine() };
  if (error instanceof ApigwAuthzError) return { exitCode: ExitCode.internal, line: error.toLine() };
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitCode: ExitCode.internal,
    line: `internal error: ${message.split('\n')[0]} (please report this at the apigw-authz issue tracker)`,
  };
}
