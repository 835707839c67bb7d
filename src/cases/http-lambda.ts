/**
 * Cases for HTTP API Lambda authorizers (payload 1.0 or 2.0, simple or policy responses): one folder per
 * authorizer. Only headers and query strings are sent by the client; `$context` and `$stageVariables` sources come
 * from API Gateway itself.
 *
 * Answers (reference §B.4, CONTRACT.md): a missing identity source 401 without invoking the Lambda; a deny 403;
 * both asserted by status only (the bodies are not documented; config `expectations` can pin them).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
 */

import type { Authorizer, Route } from '../model/types.js';
import { cacheBleedCases } from './cache-bleed.js';
import { allowCase, orderGroup, rejectCase, settingsFor, variableRef, wantsDeepCases } from './context.js';
import type { DeriveContext, Derived, Deriver, RouteCases } from './context.js';
import { REJECT } from './expectations.js';
import { hint } from './hints.js';
import {
  UNKNOWN_IDENTITY_VALUE,
  credentialOf,
  describeSource,
  identityNegatives,
  isClientSupplied,
  missingSourcesCase,
  noClientSourceWarnings,
} from './client-sources.js';
import type { ClientSource, IdentityAnswers } from './client-sources.js';
import { concreteRequest } from './route-request.js';
import type { AuthCase, BodyJsonCheck } from './types.js';

/** A missing source: 401 before the Lambda runs; unknown values: the Lambda's deny (reference B.4). */
const HTTP_LAMBDA_ANSWERS: IdentityAnswers = {
  missing: { hint: hint('httpLambdaSources'), rejections: [REJECT.httpLambdaUnauthorized] },
  unknown: { hint: hint('httpLambdaDecision'), rejections: [REJECT.httpLambdaForbidden] },
};

/** The route a cache check runs on: another concrete request than the warm-up's, else the first route. */
function secondRoute(ctx: DeriveContext, routes: Route[]): Route | undefined {
  const [first, ...rest] = routes;
  if (!first) return undefined;
  const warm = concreteRequest(first, ctx.config);
  return (
    rest.find((route) => {
      const request = concreteRequest(route, ctx.config);
      return request.method !== warm.method || request.path !== warm.path;
    }) ?? first
  );
}

/**
 * With caching on and two client-supplied sources: after the warm-up, every source valid but the last one unknown
 * must be rejected. A cache keyed on part of the identity (the first value) reuses the cached allow instead.
 * Assumes the handler rejects an unknown value in any source (the hint says so).
 */
function partialIdentityCase(
  ctx: DeriveContext,
  authorizer: Authorizer,
  routes: Route[],
  sources: ClientSource[],
): AuthCase[] {
  if (ctx.depth === 'smoke' || authorizer.ttlSeconds <= 0 || sources.length < 2) return [];
  const route = secondRoute(ctx, routes);
  const last = sources[sources.length - 1];
  if (!route || !last) return [];
  return [
    rejectCase(
      ctx,
      {
        route,
        authorizer,
        group: { title: authorizer.name },
        id: 'cache-bleed-partial-identity',
        prefix: 'cache',
        label: `valid identity cached, then ${describeSource(last.source)} unknown: not served from the cache`,
        credential: credentialOf(sources, (entry) => (entry === last ? UNKNOWN_IDENTITY_VALUE : entry.value)),
        polarity: 'negative',
        hint:
          `${hint('httpLambdaCaching')} This case assumes the Lambda rejects an unknown value in any identity ` +
          'source; a 2XX here means a cached result was reused for another identity.',
      },
      [REJECT.httpLambdaForbidden],
    ),
  ];
}

/** `authorizer.lambda.<key>`: what a payload-2.0 integration gets, per `expectContext` (JSON-typed). */
function contextChecks(expected: Record<string, unknown>): BodyJsonCheck[] {
  return Object.keys(expected)
    .sort()
    .map((key) => ({ path: ['authorizer', 'lambda', key], value: expected[key] }));
}

/** @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html */
export const deriveHttpLambdaCases: Deriver = (authorizer, routes, ctx): Derived => {
  const settings = settingsFor(ctx, authorizer.name);
  const sources: ClientSource[] = authorizer.identitySources.filter(isClientSupplied).map((source) => ({
    source,
    value: settings.validIdentity[source.expression] ?? variableRef(authorizer.name, source.expression),
  }));
  const warnings = noClientSourceWarnings(authorizer, sources);
  const valid = credentialOf(sources, (entry) => entry.value);
  const group = { title: authorizer.name };
  const perRoute: RouteCases[] = routes.map((route, index) => {
    const base = { route, authorizer, group };
    const positive = allowCase(ctx, {
      ...base,
      id: 'allow',
      label: 'all identity sources valid',
      credential: valid,
      polarity: 'positive',
      hint: hint('httpLambdaSources', 'httpLambdaDecision', 'redeploy'),
    });
    if (sources.length === 0) return { positive, negatives: [] };
    const missing = missingSourcesCase(ctx, base, sources, HTTP_LAMBDA_ANSWERS);
    const deeper = wantsDeepCases(ctx.depth, index)
      ? identityNegatives(ctx, base, sources, HTTP_LAMBDA_ANSWERS)
      : [];
    return { positive, negatives: [missing, ...deeper] };
  });
  const bleed = cacheBleedCases(ctx, authorizer, routes, valid, 'valid identity').map((c) => ({
    ...c,
    hint: hint('httpLambdaCaching', 'httpLambdaDecision'),
  }));
  const first = routes[0];
  const expected = settings.expectContext;
  const context =
    first && expected !== undefined && Object.keys(expected).length > 0
      ? [
          {
            ...allowCase(ctx, {
              route: first,
              authorizer,
              group,
              id: 'authorizer-context',
              label: `context reaches the integration (${Object.keys(expected).sort().join(', ')})`,
              credential: valid,
              polarity: 'positive',
              hint: hint('httpLambdaContext', 'httpLambdaDecision'),
            }),
            expect: { outcome: 'authorized' as const, bodyJson: contextChecks(expected) },
          },
        ]
      : [];
  const partial = partialIdentityCase(ctx, authorizer, routes, sources);
  return { cases: orderGroup(perRoute, [...bleed, ...partial, ...context]), warnings };
};
