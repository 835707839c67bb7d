/**
 * The case catalogue: from an AuthModel and a ProjectConfig to the TestPlan, in run order.
 *
 * Run order: public routes, then one folder per authorizer (sorted by name; Cognito split by scope set), then
 * unprotected routes. Within a folder positives come first (cache warm-up, then the cache-bleed check), then
 * each route's negatives. The plan grows linearly with routes: deeper negatives run once per folder at
 * `standard`, per route at `full`, never at `smoke`.
 */

import type { ProjectConfig } from '../config/types.js';
import { InternalError } from '../errors.js';
import type { AuthModel, AuthorizerKind, Route } from '../model/types.js';
import { deriveIamCases } from './aws-iam.js';
import { deriveCognitoCases } from './cognito-user-pools.js';
import type { DeriveContext, Deriver } from './context.js';
import { deriveRequestCases } from './lambda-request.js';
import { deriveTokenCases } from './lambda-token.js';
import { compareRoutes } from './route-request.js';
import type { AuthCase, TestPlan } from './types.js';
import { deriveUnauthenticatedCases } from './unauthenticated-routes.js';
import { collectVariables } from './variables.js';

/** One deriver per kind; adding a kind to `AuthorizerKind` fails to compile until it has one. */
const DERIVERS: Record<AuthorizerKind, Deriver> = {
  COGNITO_USER_POOLS: deriveCognitoCases,
  TOKEN: deriveTokenCases,
  REQUEST: deriveRequestCases,
  AWS_IAM: deriveIamCases,
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
  const warnings: string[] = [];
  for (const authorizer of authorizers) {
    const own = routes.filter((route) => authorizerOf(route) === authorizer.name);
    if (own.length === 0) continue;
    const derived = DERIVERS[authorizer.kind](authorizer, own, ctx);
    cases.push(...derived.cases);
    warnings.push(...derived.warnings);
  }
  cases.push(...unauthenticated.unprotectedCases);
  assertUniqueKeys(cases);

  return {
    model,
    config,
    cases,
    variables: collectVariables(model, cases),
    unprotectedRoutes: unauthenticated.unprotectedRoutes,
    warnings,
  };
}

export { matchingSample, nonMatchingSample } from './regex-samples.js';
