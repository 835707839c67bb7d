/** What the doctor rule files share: the per-authorizer rule type and how routes are named and listed. */

import type { ProjectConfig } from '../config/types.js';
import { routeKeyOf } from '../model/parse.js';
import type { AuthModel, Authorizer, Route } from '../model/types.js';
import type { DiagnoseOptions, Finding } from './types.js';

/** A rule over one authorizer of the kind it is listed under in `AUTHORIZER_RULES` (rules.ts). */
export type AuthorizerRule = (
  authorizer: Authorizer,
  model: AuthModel,
  config: ProjectConfig,
  options: DiagnoseOptions,
) => Finding[];

/** A route as API Gateway names it: `GET /pets`, or `$default` on an HTTP API. */
export const routeName = (route: Route): string => routeKeyOf(route);

/** The routes `authorizer` guards, in model order. */
export function routesOf(model: AuthModel, authorizer: Authorizer): Route[] {
  return model.routes.filter(
    (route) =>
      route.authorization.type === 'AUTHORIZER' && route.authorization.authorizer === authorizer.name,
  );
}

/** The scopes of a guarded route (empty for a public one). */
export function scopesOf(route: Route): string[] {
  return route.authorization.type === 'AUTHORIZER' ? route.authorization.scopes : [];
}

/** `A, B, C and 4 more`. */
export function listRoutes(routes: Route[], max = 5): string {
  return listNames(routes.map(routeName), max);
}

export function listNames(names: string[], max = 5): string {
  return names.length <= max
    ? names.join(', ')
    : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}
