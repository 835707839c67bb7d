/**
 * The concrete request a case sends for a route: API Gateway matches path templates and `ANY`, but a request
 * needs one verb and a real path.
 */

import type { ProjectConfig } from '../config/types.js';
import { DEFAULT_ROUTE_PATH } from '../model/types.js';
import type { HttpMethod, Route } from '../model/types.js';
import type { NameValue } from './types.js';

/** Used for a `{proxy+}`-style greedy segment without a configured sample value. */
export const DEFAULT_GREEDY_VALUE = 'apigw-authz/probe';
/**
 * The path an HTTP API's `$default` route is probed with: a path no route of a real API matches, so only the
 * catch-all answers it (when another route does, the plan's routing check says so).
 */
export const UNMATCHED_PATH = '/apigw-authz-unmatched';
/** Used for a `{name}` segment without a configured sample value. */
export const DEFAULT_PARAMETER_VALUE = '1';
/** The Postman variable that holds the API key for `apiKeyRequired` methods. */
export const API_KEY_VARIABLE = 'apiKey';

export interface ConcreteRequest {
  method: HttpMethod;
  path: string;
  /** Headers every case of the route sends (the API key). */
  headers: NameValue[];
}

/**
 * Fills a path template with sample values: `{name}` from `config.pathParameters[name]` (default `1`),
 * a greedy `{name+}` from `config.pathParameters[name]` (default `apigw-authz/probe`). Values are used as
 * written, so they may hold `{{variables}}`.
 */
export function concretePath(template: string, pathParameters: Record<string, string>): string {
  if (template === DEFAULT_ROUTE_PATH) return UNMATCHED_PATH;
  return template.replace(/\{([^}/]+?)(\+?)\}/g, (_match, name: string, greedy: string) => {
    const value = pathParameters[name];
    if (value !== undefined) return value;
    return greedy ? DEFAULT_GREEDY_VALUE : DEFAULT_PARAMETER_VALUE;
  });
}

/** The header API Gateway reads the API key from when `apiKeySource` is HEADER. */
export const API_KEY_HEADER = 'x-api-key';

/**
 * The request for a route: `ANY` becomes GET, the path gets sample values (`$default`: `UNMATCHED_PATH`), API-key
 * routes send `x-api-key` from the secret variable `apiKey`, unless the key comes from the Lambda authorizer
 * (`apiKeySource` AUTHORIZER: its `usageIdentifierKey`), when the client sends none.
 */
export function concreteRequest(
  route: Route,
  config: ProjectConfig,
  apiKeySource: 'HEADER' | 'AUTHORIZER' = 'HEADER',
): ConcreteRequest {
  const sendsKey = route.apiKeyRequired && apiKeySource === 'HEADER';
  return {
    method: route.method === 'ANY' ? 'GET' : route.method,
    path: concretePath(route.path, config.pathParameters),
    headers: sendsKey ? [{ name: API_KEY_HEADER, value: `{{${API_KEY_VARIABLE}}}` }] : [],
  };
}

/** `GET /pets`: the route as API Gateway names it (used in keys, names and publicRoutes). */
export function routeId(route: Route): string {
  return `${route.method} ${route.path}`;
}

/** Sort order of routes everywhere: path, then method (plain code-unit order, locale-independent). */
export function compareRoutes(a: Route, b: Route): number {
  if (a.path !== b.path) return a.path < b.path ? -1 : 1;
  if (a.method !== b.method) return a.method < b.method ? -1 : 1;
  return 0;
}
