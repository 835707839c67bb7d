/**
 * Drift: the current configuration of a live API (GetResources + GetAuthorizers) against what its stage
 * serves (GetExport). API Gateway snapshots methods and authorizers into a deployment, so a change made since
 * the last deployment is invisible to clients until the API is redeployed: a classic cause of "my new
 * authorizer is ignored" and of 401s after fixing an authorizer. Pure.
 */

import { compare, isPlaceholder } from '../model/parse.js';
import type { AuthModel, Authorizer, JwtIssuer, Route } from '../model/types.js';
import type { DriftFinding } from './types.js';

/**
 * Reports every route whose authorization differs between the current configuration and the deployed stage: a
 * different authorizer or scopes, API key requirement, a changed definition of its authorizer, or a route that
 * exists on one side only.
 *
 * @param current - the model from GetResources/GetAuthorizers
 * @param deployed - the model from the stage's export
 * @param stage - the stage name, for the fix
 * @returns findings sorted by path, then method
 */
export function detectDrift(current: AuthModel, deployed: AuthModel, stage: string): DriftFinding[] {
  const currentRoutes = indexRoutes(current);
  const deployedRoutes = indexRoutes(deployed);
  const keys = [...new Set([...currentRoutes.keys(), ...deployedRoutes.keys()])];
  const findings: DriftFinding[] = [];
  for (const key of keys) {
    const now = currentRoutes.get(key);
    const then = deployedRoutes.get(key);
    const changes = routeChanges(now, then, current, deployed);
    if (changes.length === 0) continue;
    const route = key.split('\u0000').reverse().join(' ');
    findings.push({
      route,
      stage,
      current: describe(now, current),
      deployed: describe(then, deployed),
      changes,
      message: `${route}: authorization changed but not redeployed (${changes.join('; ')}): redeploy the API to stage ${stage}.`,
    });
  }
  return findings.sort((a, b) => compare(sortKey(a.route), sortKey(b.route)));
}

function sortKey(route: string): string {
  const [method = '', path = ''] = route.split(' ');
  return `${path}\u0000${method}`;
}

function indexRoutes(model: AuthModel): Map<string, Route> {
  return new Map(model.routes.map((route) => [`${route.path}\u0000${route.method}`, route]));
}

function authorizerOf(route: Route | undefined, model: AuthModel): Authorizer | undefined {
  if (route?.authorization.type !== 'AUTHORIZER') return undefined;
  const name = route.authorization.authorizer;
  return model.authorizers.find((authorizer) => authorizer.name === name);
}

function describe(route: Route | undefined, model: AuthModel): string {
  if (!route) return 'absent';
  const apiKey = route.apiKeyRequired ? ' + API key' : '';
  if (route.authorization.type === 'NONE') return `NONE${apiKey}`;
  const authorizer = authorizerOf(route, model);
  const scopes = route.authorization.scopes.length > 0 ? ` [${route.authorization.scopes.join(' ')}]` : '';
  return `${route.authorization.authorizer}${authorizer ? ` (${authorizer.kind})` : ''}${scopes}${apiKey}`;
}

function routeChanges(
  now: Route | undefined,
  then: Route | undefined,
  current: AuthModel,
  deployed: AuthModel,
): string[] {
  if (!then) return ['the route is not deployed'];
  if (!now) return ['the route was deleted but is still deployed'];
  const changes: string[] = [];
  const nowName = now.authorization.type === 'AUTHORIZER' ? now.authorization.authorizer : 'NONE';
  const thenName = then.authorization.type === 'AUTHORIZER' ? then.authorization.authorizer : 'NONE';
  if (nowName !== thenName) changes.push(`authorization ${thenName} -> ${nowName}`);
  const nowScopes = now.authorization.type === 'AUTHORIZER' ? now.authorization.scopes : [];
  const thenScopes = then.authorization.type === 'AUTHORIZER' ? then.authorization.scopes : [];
  if (list(nowScopes) !== list(thenScopes)) changes.push(`scopes ${list(thenScopes)} -> ${list(nowScopes)}`);
  if (now.apiKeyRequired !== then.apiKeyRequired) {
    changes.push(`API key required ${String(then.apiKeyRequired)} -> ${String(now.apiKeyRequired)}`);
  }
  if (nowName === thenName && nowName !== 'NONE') {
    changes.push(...authorizerChanges(authorizerOf(now, current), authorizerOf(then, deployed)));
  }
  return changes;
}

function authorizerChanges(now: Authorizer | undefined, then: Authorizer | undefined): string[] {
  if (!now || !then)
    return now === then ? [] : [`authorizer ${(now ?? then)?.name ?? '?'} is defined on one side only`];
  const fields: [string, string, string][] = [
    ['type', then.kind, now.kind],
    [
      'identity sources',
      list(then.identitySources.map((s) => s.expression)),
      list(now.identitySources.map((s) => s.expression)),
    ],
    ['validation expression', then.validationExpression ?? '(none)', now.validationExpression ?? '(none)'],
    ['TTL', String(then.ttlSeconds), String(now.ttlSeconds)],
    ['Lambda', then.lambdaUri ?? '(none)', now.lambdaUri ?? '(none)'],
    ['user pools', list(then.userPools.map((pool) => pool.arn)), list(now.userPools.map((pool) => pool.arn))],
    ['JWT issuers', list(perIssuer(then, (i) => [i.issuer])), list(perIssuer(now, (i) => [i.issuer]))],
    ['JWT audiences', list(perIssuer(then, (i) => i.audiences)), list(perIssuer(now, (i) => i.audiences))],
    ['JWT claims', list(perIssuer(then, claimRules)), list(perIssuer(now, claimRules))],
    ['JWT algorithms', list(then.jwt?.algorithms ?? []), list(now.jwt?.algorithms ?? [])],
    ['payload format', then.httpLambda?.payloadFormat ?? '(none)', now.httpLambda?.payloadFormat ?? '(none)'],
    [
      'simple responses',
      String(then.httpLambda?.simpleResponses ?? '(none)'),
      String(now.httpLambda?.simpleResponses ?? '(none)'),
    ],
  ];
  // A template leaves some values unknown until deploy (`${TokenFunction.Arn}`): unknown is no difference.
  return fields
    .filter(([, before, after]) => before !== after && !isPlaceholder(before) && !isPlaceholder(after))
    .map(([field, before, after]) => `authorizer ${now.name} ${field} ${before} -> ${after}`);
}

/** One entry per issuer's value, prefixed by the issuer when the authorizer trusts several (REST). */
function perIssuer(authorizer: Authorizer, values: (issuer: JwtIssuer) => string[]): string[] {
  const issuers = authorizer.jwt?.issuers ?? [];
  return issuers.flatMap((issuer) =>
    values(issuer).map((value) => (issuers.length > 1 ? `${issuer.issuer} ${value}` : value)),
  );
}

function claimRules(issuer: JwtIssuer): string[] {
  return issuer.claims.map(
    (c) =>
      `${c.name}${c.required ? ' (required)' : ''}${c.values.length > 0 ? ` = ${c.values.join('|')}` : ''}`,
  );
}

function list(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.join(', ');
}
