/** Where a locally invoked authorizer handler's console output goes, when the caller's stdout is data. */

import { format } from 'node:util';

/**
 * Runs `body` with the console writing to `log`: handlers log freely (also at module load), and the stdout of
 * doctor and explain stays data. The console is patched, not replaced, and restored afterwards.
 */
export async function withConsoleTo<T>(log: (text: string) => void, body: () => Promise<T>): Promise<T> {
  const target = globalThis.console;
  const methods = ['log', 'info', 'debug', 'warn', 'error'] as const;
  const saved = methods.map((name) => target[name]);
  for (const name of methods) target[name] = (...args: unknown[]) => log(`${format(...args)}\n`);
  try {
    return await body();
  } finally {
    methods.forEach((name, i) => {
      target[name] = saved[i] as Console[typeof name];
    });
  }
}
