/** `apigw-authz` run in this process through `main`, its output captured: faster than a child process. */

import { main, type CliIo } from '../../src/cli/main.js';

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `apigw-authz ...args` in `cwd` with only `env` for an environment; `serve` returns at once. */
export async function runMain(
  args: string[],
  { cwd, env = {} }: { cwd: string; env?: Record<string, string> },
): Promise<InProcessResult> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    env,
    cwd,
    waitForStop: () => Promise.resolve(),
  };
  const code = await main(['node', 'apigw-authz', ...args], io);
  return { code, stdout, stderr };
}
