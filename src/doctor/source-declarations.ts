/**
 * What a client is told to send, which the AuthModel does not keep: the header parameters each method declares as
 * required, and the `Access-Control-Allow-Headers` each path's CORS preflight (the OPTIONS method's mock
 * integration) answers. Read from the OpenAPI document of an export, or from the `Body`/`DefinitionBody` of the
 * APIs in a CloudFormation/SAM template; other sources give nothing (the rules then stay silent). Pure.
 */

import { isObject } from '../model/parse.js';

export interface SourceDeclarations {
  /** `GET /pets` -> the header names the method declares `required: true`, as written. */
  requiredHeaders: Map<string, string[]>;
  /** `/pets` -> the header names its OPTIONS method answers in `Access-Control-Allow-Headers`, as written. */
  preflightAllowHeaders: Map<string, string[]>;
}

const METHODS = new Set([
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'x-amazon-apigateway-any-method',
]);

/**
 * @param document - the parsed source file (an export, or a template)
 * @returns the declarations of every OpenAPI document found (first one wins for a path)
 */
export function readSourceDeclarations(document: unknown): SourceDeclarations {
  const declarations: SourceDeclarations = { requiredHeaders: new Map(), preflightAllowHeaders: new Map() };
  for (const openApi of openApiDocuments(document)) readPaths(openApi.paths, declarations);
  return declarations;
}

function openApiDocuments(document: unknown): { paths: Record<string, unknown> }[] {
  if (!isObject(document)) return [];
  if (isObject(document.paths)) return [{ paths: document.paths }];
  if (!isObject(document.Resources)) return [];
  const found: { paths: Record<string, unknown> }[] = [];
  for (const resource of Object.values(document.Resources)) {
    const properties = isObject(resource) && isObject(resource.Properties) ? resource.Properties : {};
    for (const body of [properties.Body, properties.DefinitionBody]) {
      if (isObject(body) && isObject(body.paths)) found.push({ paths: body.paths });
    }
  }
  return found;
}

function readPaths(paths: Record<string, unknown>, into: SourceDeclarations): void {
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const shared = headerParameters(item.parameters);
    for (const [key, operation] of Object.entries(item)) {
      if (!METHODS.has(key.toLowerCase()) || !isObject(operation)) continue;
      const method = key.toLowerCase() === 'x-amazon-apigateway-any-method' ? 'ANY' : key.toUpperCase();
      // Operation parameters override path-item parameters of the same name.
      const own = headerParameters(operation.parameters);
      const byName = new Map([...shared, ...own].map((p) => [p.name.toLowerCase(), p]));
      const required = [...byName.values()].filter((p) => p.required).map((p) => p.name);
      const name = `${method} ${path}`;
      if (required.length > 0 && !into.requiredHeaders.has(name)) into.requiredHeaders.set(name, required);
      if (method === 'OPTIONS' && !into.preflightAllowHeaders.has(path)) {
        const allowed = preflightAllowHeaders(operation);
        if (allowed !== undefined) into.preflightAllowHeaders.set(path, allowed);
      }
    }
  }
}

function headerParameters(raw: unknown): { name: string; required: boolean }[] {
  if (!Array.isArray(raw)) return [];
  return raw
    .filter(
      (p): p is Record<string, unknown> => isObject(p) && p.in === 'header' && typeof p.name === 'string',
    )
    .map((p) => ({ name: p.name as string, required: p.required === true }));
}

/** The static `Access-Control-Allow-Headers` of an OPTIONS method's integration responses, or undefined. */
function preflightAllowHeaders(operation: Record<string, unknown>): string[] | undefined {
  const integration = operation['x-amazon-apigateway-integration'];
  const responses = isObject(integration) && isObject(integration.responses) ? integration.responses : {};
  for (const response of Object.values(responses)) {
    const params =
      isObject(response) && isObject(response.responseParameters) ? response.responseParameters : {};
    for (const [name, value] of Object.entries(params)) {
      if (name.toLowerCase() !== 'method.response.header.access-control-allow-headers') continue;
      if (typeof value !== 'string') continue;
      const list = parseHeaderList(value);
      if (list !== undefined) return list;
    }
  }
  return undefined;
}

/** `'Content-Type,Authorization'` (a static mapping value, quoted) -> the names; undefined for a reference. */
export function parseHeaderList(value: string): string[] | undefined {
  const trimmed = value.trim();
  const inner = /^'(.*)'$/s.exec(trimmed)?.[1];
  if (inner === undefined) return undefined;
  return inner
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}
