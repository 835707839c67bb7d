import { readFileSync } from 'node:fs';
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

/** Where bugs are reported: `bugs.url` of package.json (read once, lazily; a fixed fallback if it cannot be read). */
let bugsUrlCache: string | undefined;
export function bugsUrl(): string {
  if (bugsUrlCache !== undefined) return bugsUrlCache;
  const fallback = 'https://github.com/apigw-authz/apigw-authz/issues';
  try {
    const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      bugs?: string | { url?: string };
    };
    const bugs = manifest.bugs;
    bugsUrlCache = (typeof bugs === 'string' ? bugs : bugs?.url) ?? fallback;
  } catch {
    bugsUrlCache = fallback;
  }
  return bugsUrlCache;
}

/** The one place that maps an error to an exit code and a single line for stderr. */
export function describeFailure(error: unknown): { exitCode: number; line: string } {
  if (error instanceof CommanderError) {
    return { exitCode: ExitCode.usage, line: error.message.replace(/^error: /, '') };
  }
  if (error instanceof InputError) return { exitCode: ExitCode.usage, line: error.toLine() };
  if (error instanceof EnvironmentError) return { exitCode: ExitCode.environment, line: error.toLine() };
  if (error instanceof ApigwAuthzError) {
    return { exitCode: ExitCode.internal, line: `${error.toLine()} ${reportHint()}` };
  }
  return { exitCode: ExitCode.internal, line: `internal error: ${internalMessage(error)} ${reportHint()}` };
}

/** The first line of a non-apigw-authz error, named by its class; a stack overflow says what ran out. */
function internalMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error).split('\n')[0] ?? '';
  const first = error.message.split('\n')[0] ?? '';
  if (error instanceof RangeError && /call stack size/i.test(first)) {
    return `${error.name}: ${first} (a recursion or an argument spread too deep for this input)`;
  }
  return `${error.name}: ${first}`;
}

function reportHint(): string {
  return (
    `This is a bug in apigw-authz: please report it at ${bugsUrl()} with the command and ` +
    '`apigw-authz --version` (APIGW_AUTHZ_DEBUG=1 prints the stack trace).'
  );
}
