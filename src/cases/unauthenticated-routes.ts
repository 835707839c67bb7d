/**
 * Routes without authorization: public ones (listed in `publicRoutes`) must be reachable; routes that require
 * an API key get the API key cases instead (a key is not authorization, but the route is not open either); the
 * others are reported as unprotected and get a case that fails on purpose until the route is protected or
 * allow-listed.
 */

import { parsePublicRoute } from '../config/public-route.js';
import type { Route } from '../model/types.js';
import { allowCase, apiKeyCases, apiKeySourceOf, rejectCase, wantsDeepKeyCases } from './context.js';
import type { DeriveContext } from './context.js';
import { hint } from './hints.js';
import type { AuthCase } from './types.js';

export const PUBLIC_GROUP = 'Public routes';
export const UNPROTECTED_GROUP = 'Unprotected routes';
export const API_KEY_ONLY_GROUP = 'API key only routes';

/**
 * Whether `publicRoutes` allow-lists the route: `METHOD /path` exactly, or `ANY /path` for every method. An
 * `ANY` route needs an `ANY /path` entry, since it answers every verb.
 */
export function isPublicRoute(route: Route, publicRoutes: string[]): boolean {
  const listed = publicRouteSet(publicRoutes);
  return listed.has(`ANY ${route.path}`) || listed.has(`${route.method} ${route.path}`);
}

/** `publicRoutes` parsed once per list (a config may list thousands, and every NONE route asks). */
const parsedPublicRoutes = new WeakMap<string[], Set<string>>();

function publicRouteSet(publicRoutes: string[]): Set<string> {
  let set = parsedPublicRoutes.get(publicRoutes);
  if (!set) {
    set = new Set();
    for (const raw of publicRoutes) {
      const entry = parsePublicRoute(raw);
      if (entry) set.add(`${entry.method} ${entry.path}`);
    }
    parsedPublicRoutes.set(publicRoutes, set);
  }
  return set;
}

/** OPTIONS without authorization is a CORS preflight: neither tested nor reported. */
export function isCorsPreflight(route: Route): boolean {
  return route.method === 'OPTIONS' && route.authorization.type === 'NONE';
}

export interface UnauthenticatedCases {
  publicCases: AuthCase[];
  /** The API-key-only routes' cases: each route's valid-key case, then its key negatives. */
  apiKeyCases: AuthCase[];
  unprotectedCases: AuthCase[];
  unprotectedRoutes: Route[];
  apiKeyOnlyRoutes: Route[];
  warnings: string[];
}

function deriveApiKeyOnly(ctx: DeriveContext, routes: Route[], result: UnauthenticatedCases): void {
  const positives: AuthCase[] = [];
  const negatives: AuthCase[] = [];
  const fromAuthorizer = apiKeySourceOf(ctx) === 'AUTHORIZER';
  // With apiKeySource AUTHORIZER and no authorizer, nothing supplies the key: what AWS answers is not settled.
  for (const route of fromAuthorizer ? [] : routes) {
    const base = { route, group: { title: API_KEY_ONLY_GROUP } };
    positives.push(
      allowCase(ctx, {
        ...base,
        id: 'api-key',
        prefix: 'apikey',
        label: 'valid x-api-key, no other credentials',
        credential: { kind: 'none' },
        polarity: 'positive',
        hint: hint('apiKey', 'apiKeyNotAuthorization'),
      }),
    );
    negatives.push(...apiKeyCases(ctx, base, { kind: 'none' }, wantsDeepKeyCases(ctx.depth, routes, route)));
  }
  // No push(...big): an argument spread of a large API's routes or cases overflows the call stack.
  for (const c of [...positives, ...negatives]) result.apiKeyCases.push(c);
  for (const route of routes) result.apiKeyOnlyRoutes.push(route);
  if (routes.length > 0) {
    result.warnings.push(
      `${routes.length} route(s) require an API key but have no authorizer (${routes
        .map((route) => `${route.method} ${route.path}`)
        .join(', ')}): an API key is not authorization; they get API key cases, not "unprotected".` +
        (fromAuthorizer
          ? ' With apiKeySource AUTHORIZER no authorizer supplies their key, so no case is generated for them.'
          : ''),
    );
  }
}

/** Cases for the NONE routes (sorted), preflights excluded. */
export function deriveUnauthenticatedCases(ctx: DeriveContext, routes: Route[]): UnauthenticatedCases {
  const result: UnauthenticatedCases = {
    publicCases: [],
    apiKeyCases: [],
    unprotectedCases: [],
    unprotectedRoutes: [],
    apiKeyOnlyRoutes: [],
    warnings: [],
  };
  deriveApiKeyOnly(
    ctx,
    routes.filter((route) => route.apiKeyRequired && !isCorsPreflight(route)),
    result,
  );
  for (const route of routes) {
    if (isCorsPreflight(route) || route.apiKeyRequired) continue;
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
