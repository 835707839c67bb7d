/**
 * The cache-bleed check of Lambda authorizers: with caching on, API Gateway reuses the first policy for every
 * method and path with the same identity, so a policy scoped to the first method rejects the second one.
 *
 * @see https://repost.aws/knowledge-center/api-gateway-lambda-authorization-errors
 */

import type { Authorizer, Route } from '../model/types.js';
import { allowCase } from './context.js';
import type { DeriveContext } from './context.js';
import { hint } from './hints.js';
import { concreteRequest } from './route-request.js';
import type { AuthCase, Credential } from './types.js';

/**
 * The case that follows the first positive case of a cached Lambda authorizer: the same valid credential on a
 * second route (another concrete method or path) must still be authorized. None at `smoke`, with TTL 0, or
 * with a single route.
 *
 * @param what how the credential is called in the name (`valid token`, `valid identity`)
 */
export function cacheBleedCases(
  ctx: DeriveContext,
  authorizer: Authorizer,
  routes: Route[],
  credential: Credential,
  what: string,
): AuthCase[] {
  const [first, ...rest] = routes;
  if (ctx.depth === 'smoke' || authorizer.ttlSeconds <= 0 || !first) return [];
  const warm = concreteRequest(first, ctx.config);
  const second = rest.find((route) => {
    const request = concreteRequest(route, ctx.config);
    return request.method !== warm.method || request.path !== warm.path;
  });
  if (!second) return [];
  return [
    allowCase(ctx, {
      route: second,
      authorizer,
      group: { title: authorizer.name },
      id: 'cache-bleed',
      prefix: 'cache',
      label: `${what} cached on [${first.method}] ${first.path} still authorized on a second route`,
      credential,
      polarity: 'positive',
      hint: hint('caching', 'lambdaDecision'),
    }),
  ];
}
