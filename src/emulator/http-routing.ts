/**
 * Route selection as an HTTP API (v2) does it, and its automatic CORS preflight.
 *
 * Priority (AGDG `http-api-develop-routes`): a full match of path and method (exact segments over `{param}`), then
 * a greedy `{proxy+}` route, then `$default`; `ANY` takes every method the path does not define itself. With no
 * match the API answers 404 `{"message":"Not Found"}`. The stage `$default` has no prefix in the URL.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */

import { DEFAULT_ROUTE_PATH, type AuthModel, type Route } from '../model/types.js';
import { matchRoute, type RouteMatch } from './routing.js';
import type { IncomingCall } from './types.js';

/** The stage name whose URLs carry no stage prefix (an HTTP API's default stage). */
export const DEFAULT_STAGE = '$default';

/** The URL prefix of a stage: `/prod`, or empty for the `$default` stage. */
export function stagePrefix(stage: string): string {
  return stage === DEFAULT_STAGE ? '' : `/${stage}`;
}

/** Whether a full URL path lies in the stage (always true for the `$default` stage). */
export function inStage(fullPath: string, stage: string): boolean {
  const prefix = stagePrefix(stage);
  return prefix === '' || fullPath === prefix || fullPath.startsWith(`${prefix}/`);
}

/**
 * The route an HTTP API picks for a request, or undefined (404).
 *
 * Non-greedy templates come before greedy ones whatever the segment order (`/{a}/b` beats `/x/{proxy+}` for
 * `/x/b`); among each group the more specific segment wins from the left. On a template the exact method beats
 * `ANY`; a template without either lets the next one try. `$default` comes last.
 */
export function matchHttpRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): RouteMatch | undefined {
  const match = matchRoute(routes, method, path, { greedyLast: true });
  if (match) return match;
  const fallback = routes.find((r) => r.path === DEFAULT_ROUTE_PATH);
  return fallback ? { route: fallback, pathParameters: {} } : undefined;
}

/** A CORS preflight: `OPTIONS` with `Origin` and `Access-Control-Request-Method` (AGDG `http-api-cors`). */
export function isPreflight(call: IncomingCall): boolean {
  return (
    call.method === 'OPTIONS' &&
    (call.headers.origin ?? '') !== '' &&
    (call.headers['access-control-request-method'] ?? '') !== ''
  );
}

/** The `Access-Control-Allow-Origin` value for a request's `Origin`, or undefined when CORS does not allow it. */
export function allowedOrigin(model: AuthModel, origin: string | undefined): string | undefined {
  const cors = model.cors;
  if (!cors || origin === undefined || origin === '') return undefined;
  if (cors.allowOrigin === '*') return '*';
  return cors.allowOrigin === origin ? origin : undefined;
}

/**
 * CORS headers API Gateway adds to an integration answer: only when the request sends an allowed `Origin`.
 */
export function httpCorsHeaders(model: AuthModel, call: IncomingCall): Record<string, string> {
  const origin = allowedOrigin(model, call.headers.origin);
  return origin === undefined ? {} : { 'Access-Control-Allow-Origin': origin };
}

/**
 * The automatic preflight answer (no route matched the `OPTIONS` request): 204 with the configured methods and
 * headers, or 204 without CORS headers for an origin the configuration does not allow.
 */
export function httpPreflightHeaders(model: AuthModel, call: IncomingCall): Record<string, string> {
  const origin = allowedOrigin(model, call.headers.origin);
  if (origin === undefined || !model.cors) return {};
  const { allowMethods, allowHeaders } = model.cors;
  return {
    'Access-Control-Allow-Origin': origin,
    ...(allowMethods && allowMethods.length > 0
      ? { 'Access-Control-Allow-Methods': allowMethods.join(',') }
      : {}),
    ...(allowHeaders && allowHeaders.length > 0
      ? { 'Access-Control-Allow-Headers': allowHeaders.join(',') }
      : {}),
  };
}
