/**
 * The case catalogue: from an AuthModel and a ProjectConfig to the TestPlan, in run order.
 *
 * Run order: public routes, then one folder per authorizer (sorted by name; Cognito split by scope set), then
 * API-key-only routes, CORS on errors, and unprotected routes. Within a folder positives come first (cache warm-up, then the cache-bleed check), then
 * each route's negatives. The plan grows linearly with routes: deeper negatives run once per folder at
 * `standard`, per route at `full`, never at `smoke`.
 */

import type { ProjectConfig } from '../config/types.js';
import { InternalError } from '../errors.js';
import { apiKindOf } from '../model/types.js';
import type { AuthModel, AuthorizerKind, Route } from '../model/types.js';
import { deriveIamCases } from './aws-iam.js';
import { deriveCorsCases, deriveHttpPreflightCases } from './cors-cases.js';
import { deriveCognitoCases } from './cognito-user-pools.js';
import type { DeriveContext, Deriver } from './context.js';
import { deriveHttpLambdaCases } from './http-lambda.js';
import { deriveJwtCases } from './jwt.js';
import { deriveRequestCases } from './lambda-request.js';
import { deriveTokenCases } from './lambda-token.js';
import { hint } from './hints.js';
import { compareRoutes, routeId } from './route-request.js';
import { RouteIndex, fallbackWarning, openFallbackWarnings, sameAuthorization } from './routing-fallback.js';
import type { AuthCase, TestPlan } from './types.js';
import { deriveUnauthenticatedCases } from './unauthenticated-routes.js';
import { collectVariables } from './variables.js';

/** One deriver per kind; adding a kind to `AuthorizerKind` fails to compile until it has one. */
const DERIVERS: Record<AuthorizerKind, Deriver> = {
  COGNITO_USER_POOLS: deriveCognitoCases,
  TOKEN: deriveTokenCases,
  REQUEST: deriveRequestCases,
  AWS_IAM: deriveIamCases,
  JWT: deriveJwtCases,
  HTTP_LAMBDA: deriveHttpLambdaCases,
};

function authorizerOf(route: Route): string | undefined {
  return route.authorization.type === 'AUTHORIZER' ? route.authorization.authorizer : undefined;
}

function assertUniqueKeys(cases: AuthCase[]): void {
  const seen = new Set<string>();
  for (const testCase of cases) {
    if (seen.has(testCase.key)) throw new InternalError(`Duplicate case key ${testCase.key}.`);
    seen.add(testCase.key);
  }
}

/**
 * Applies API Gateway's routing to every case: where another route answers a case's request (a more specific
 * literal resource, or a `{param}`/`{proxy+}` fallback when the resource lacks the method), the case expects
 * what that route does: with no authorization, to get through; with another authorizer, the case is dropped
 * (its credentials are for the wrong authorizer). One warning per affected route.
 */
function routeAsAws(index: RouteIndex, cases: AuthCase[], warnings: string[]): AuthCase[] {
  const warned = new Set<string>();
  const out: AuthCase[] = [];
  // A route's cases mostly send the same request: ask the index once per request.
  const answers = new Map<string, Route | undefined>();
  for (const testCase of cases) {
    const request = `${testCase.method} ${testCase.path}`;
    const answer = answers.has(request) ? answers.get(request) : index.answer(testCase.method, testCase.path);
    answers.set(request, answer);
    if (answer === undefined || answer === testCase.route || sameAuthorization(answer, testCase.route)) {
      out.push(testCase);
      continue;
    }
    const warning = fallbackWarning(testCase.route, testCase.method, testCase.path, answer);
    if (!warned.has(routeId(testCase.route))) {
      warned.add(routeId(testCase.route));
      warnings.push(warning);
    }
    if (answer.authorization.type === 'NONE' && !answer.apiKeyRequired) {
      out.push({
        ...testCase,
        expect: { outcome: 'authorized' },
        polarity: 'positive',
        hint: `${warning} ${hint('publicAllowList')}`,
      });
    }
  }
  return out;
}

/**
 * Derives every case of the API, with expectations adjusted for its gateway responses and CORS, the run-time
 * variables the cases reference, the unprotected routes and non-fatal warnings. Pure and deterministic.
 *
 * @param config fully defaulted (see `loadConfig`); `config.depth` picks how many negative cases run
 * @throws InternalError when a route names an authorizer the model does not define (the model builder checks it)
 */
export function derivePlan(model: AuthModel, config: ProjectConfig): TestPlan {
  const ctx: DeriveContext = { model, config, depth: config.depth };
  const routes = [...model.routes].sort(compareRoutes);
  const authorizers = [...model.authorizers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const route of routes) {
    const name = authorizerOf(route);
    if (name !== undefined && !authorizers.some((authorizer) => authorizer.name === name)) {
      throw new InternalError(
        `Route ${route.method} ${route.path} uses authorizer ${name}, which the model lacks.`,
      );
    }
  }

  const unauthenticated = deriveUnauthenticatedCases(
    ctx,
    routes.filter((route) => route.authorization.type === 'NONE'),
  );
  const cases: AuthCase[] = [...unauthenticated.publicCases];
  const warnings: string[] = [...unauthenticated.warnings];
  for (const authorizer of authorizers) {
    const own = routes.filter((route) => authorizerOf(route) === authorizer.name);
    if (own.length === 0) continue;
    const derived = DERIVERS[authorizer.kind](authorizer, own, ctx);
    // Never push(...big): an argument spread of a large API's cases overflows the call stack (--depth full).
    for (const c of derived.cases) cases.push(c);
    warnings.push(...derived.warnings);
  }
  for (const c of unauthenticated.apiKeyCases) cases.push(c);
  const index = new RouteIndex(routes, apiKindOf(model));
  const routed = routeAsAws(index, cases, warnings);
  const corsCases = [...deriveCorsCases(model, routed), ...deriveHttpPreflightCases(ctx, routes, index)];
  for (const c of [...corsCases, ...unauthenticated.unprotectedCases]) routed.push(c);
  warnings.push(...openFallbackWarnings(index, routes, config));
  assertUniqueKeys(routed);

  return {
    model,
    config,
    cases: routed,
    variables: collectVariables(model, routed),
    unprotectedRoutes: unauthenticated.unprotectedRoutes,
    apiKeyOnlyRoutes: unauthenticated.apiKeyOnlyRoutes,
    warnings,
  };
}

export { matchingSample, nonMatchingSample } from './regex-samples.js';
