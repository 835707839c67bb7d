/**
 * The I/O edge of the config checks doctor makes: import each configured Lambda handler once (doctor invokes them
 * anyway), and read the source file again for what the model does not keep (declared headers, CORS preflights).
 */

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import { loadHandler } from '../emulator/lambda-runtime.js';
import { compare, isObject } from '../model/parse.js';
import { readSourceDeclarations, type SourceDeclarations } from './source-declarations.js';
import type { DiscoveryDocument, HandlerModule } from './types.js';

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

/**
 * Reads every saved discovery document the config names (`authorizers.NAME.oidc.discoveryDocument`, relative to
 * the config file), sorted by authorizer name; one that cannot be read or is not a JSON object gives `error`.
 */
export async function readDiscoveryDocuments(config: ProjectConfig): Promise<DiscoveryDocument[]> {
  const documents: DiscoveryDocument[] = [];
  for (const [authorizer, settings] of Object.entries(config.authorizers).sort(([a], [b]) => compare(a, b))) {
    const file = settings.oidc?.discoveryDocument;
    if (file === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(await readFile(path.resolve(config.baseDir, file), 'utf8'));
    } catch (error) {
      const reason = error instanceof SyntaxError ? 'it is not JSON' : 'it cannot be read';
      documents.push({ authorizer, file, error: reason });
      continue;
    }
    if (!isObject(json)) {
      documents.push({ authorizer, file, error: 'it is not a JSON object' });
      continue;
    }
    const algorithms = json.id_token_signing_alg_values_supported;
    documents.push({
      authorizer,
      file,
      ...(typeof json.issuer === 'string' ? { issuer: json.issuer } : {}),
      ...(Array.isArray(algorithms)
        ? { algorithms: algorithms.filter((alg): alg is string => typeof alg === 'string') }
        : {}),
    });
  }
  return documents;
}
