/**
 * The I/O edge of the config checks doctor makes: import each configured Lambda handler once (doctor invokes them
 * anyway), and read the source file again for what the model does not keep (declared headers, CORS preflights).
 */

import { readFile, stat } from 'node:fs/promises';
import type { ProjectConfig } from '../config/types.js';
import { loadHandler } from '../emulator/lambda-runtime.js';
import { compare } from '../model/parse.js';
import { readSourceDeclarations, type SourceDeclarations } from './source-declarations.js';
import type { HandlerModule } from './types.js';

/**
 * Imports every configured `authorizers.NAME.handler`, sorted by authorizer name; a module that fails to load or
 * exports no `handler` function gives `error` instead of a throw.
 */
export async function loadHandlerModules(config: ProjectConfig): Promise<HandlerModule[]> {
  const modules: HandlerModule[] = [];
  for (const [authorizer, settings] of Object.entries(config.authorizers).sort(([a], [b]) => compare(a, b))) {
    const handler = settings.handler;
    if (handler === undefined) continue;
    try {
      await loadHandler(handler);
      modules.push({ authorizer, handler });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reason = message.startsWith(handler)
        ? message.slice(handler.length).trim()
        : message.split('\n')[0];
      modules.push({ authorizer, handler, error: reason ?? 'it cannot be imported' });
    }
  }
  return modules;
}

/**
 * The declarations of a source file (an export or a template); undefined for a folder, a live API, or a file
 * that cannot be parsed again (the model was read, so its reader has already reported what it needed to).
 */
export async function readDeclarationsFromFile(
  file: string | undefined,
): Promise<SourceDeclarations | undefined> {
  if (file === undefined) return undefined;
  try {
    if (!(await stat(file)).isFile()) return undefined;
    const { parseTemplateText } = await import('../sources/cloudformation/template-text.js');
    return readSourceDeclarations(parseTemplateText(await readFile(file, 'utf8'), file).data);
  } catch {
    return undefined;
  }
}
