/**
 * Routes without authorization: public ones (listed in `publicRoutes`) must be reachable; the others are
 * reported as unprotected and get a case that fails on purpose until the route is protected or allow-listed.
 */

import { parsePublicRoute } from '../config/public-route.js';
import type { Route } from '../model/types.js';
import { allowCase, rejectCase } from './context.js';
import type { DeriveContext } from './context.js';
import { hint } from './hints.js';
import type { AuthCase } from './types.js';

export const PUBLIC_GROUP = 'Public routes';
export const UNPROTECTED_GROUP = 'Unprotected routes';

/**
 * Whether `publicRoutes` allow-lists the route: `METHOD /path` exactly, or `ANY /path` for every method. An
 * `ANY` route needs an `ANY /path` entry, since it answers every verb.
 */
export function isPublicRoute(route: Route, publicRoutes: string[]): boolean {
  return publicRoutes.some((raw) => {
    const entry = parsePublicRoute(raw);
    if (!entry || entry.path !== route.path) return false;
    return entry.method === 'ANY' || entry.method === route.method;
  });
}

/** OPTIONS without authorization is a CORS preflight: neither tested nor reported. */
export function isCorsPreflight(route: Route): boolean {
  return route.method === 'OPTIONS' && route.authorization.type === 'NONE';
}

export interface UnauthenticatedCases {
  publicCases: AuthCase[];
  unprotectedCases: AuthCase[];
  unprotectedRoutes: Route[];
}

/** Cases for the NONE routes (sorted), preflights excluded. */
export function deriveUnauthenticatedCases(ctx: DeriveContext, routes: Route[]): UnauthenticatedCases {
  const result: UnauthenticatedCases = { publicCases: [], unprotectedCases: [], unprotectedRoutes: [] };
  for (const route of routes) {
    if (isCorsPreflight(route)) continue;
    if (isPublicRoute(route, ctx.config.publicRoutes)) {
      result.publicCases.push(
        allowCase(ctx, {
          route,
          group: { title: PUBLIC_GROUP },
          id: 'public',
          prefix: 'public',
          label: 'reachable without credentials',
          credential: { kind: 'none' },
          polarity: 'positive',
          hint: hint('redeploy'),
        }),
      );
      continue;
    }
    result.unprotectedRoutes.push(route);
    result.unprotectedCases.push(
      rejectCase(
        ctx,
        {
          route,
          group: { title: UNPROTECTED_GROUP },
          id: 'unprotected',
          prefix: 'unprotected',
          label: 'route has no authorizer and is not in publicRoutes',
          credential: { kind: 'none' },
          polarity: 'negative',
          hint: hint('publicAllowList'),
        },
        // no authorizer to name what it would answer: accept any authorizer-style rejection and body
        [
          { type: 'UNAUTHORIZED', status: 401 },
          { type: 'ACCESS_DENIED', status: 403 },
        ],
      ),
    );
  }
  return result;
}
