/** `publicRoutes` entries: `METHOD /path`, e.g. `GET /health` or `ANY /files/{proxy+}`, or an HTTP API's `$default`. */

import { DEFAULT_ROUTE_PATH, HTTP_METHODS, type RouteMethod } from '../model/types.js';

export interface PublicRoute {
  method: RouteMethod;
  path: string;
}

const METHODS: readonly string[] = [...HTTP_METHODS, 'ANY'];

/**
 * Parses one `publicRoutes` entry.
 *
 * @param entry - `METHOD /path`; the method is case-insensitive, the path must start with `/`; or `$default`
 * @returns the method (upper case) and path, or undefined when the entry has another shape
 */
export function parsePublicRoute(entry: string): PublicRoute | undefined {
  if (entry.trim() === DEFAULT_ROUTE_PATH) return { method: 'ANY', path: DEFAULT_ROUTE_PATH };
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(entry);
  const method = match?.[1]?.toUpperCase();
  const path = match?.[2];
  if (method === undefined || path === undefined || !METHODS.includes(method)) return undefined;
  return { method: method as RouteMethod, path };
}
