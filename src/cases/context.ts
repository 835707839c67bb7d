/**
 * What every deriver needs: the model, the fully defaulted config, and small helpers that build cases the same
 * way everywhere (keys, names, concrete requests, CORS-aware rejections, depth rules, run order).
 */

import { defaultAuthorizerSettings } from '../config/types.js';
import type { AuthorizerSettings, Depth, ProjectConfig } from '../config/types.js';
import type { AuthModel, Authorizer, AuthorizerKind, Route } from '../model/types.js';
import { REJECT, rejected } from './expectations.js';
import type { Rejection } from './expectations.js';
import { HINTS, hint } from './hints.js';
import { concreteRequest, routeId } from './route-request.js';
import type { AuthCase, CasePolarity, Credential, Expectation } from './types.js';

export interface DeriveContext {
  model: AuthModel;
  config: ProjectConfig;
  depth: Depth;
}

/** Cases and findings one deriver contributes, already in run order. */
export interface Derived {
  cases: AuthCase[];
  warnings: string[];
}

/** One deriver per authorizer kind: all routes of one authorizer (sorted) in, its cases in run order out. */
export type Deriver = (authorizer: Authorizer, routes: Route[], ctx: DeriveContext) => Derived;

export function settingsFor(ctx: DeriveContext, name: string): AuthorizerSettings {
  return ctx.config.authorizers[name] ?? defaultAuthorizerSettings();
}

/** The Postman variable reference for a per-authorizer value, e.g. `{{TokenAuth.validToken}}`. */
export function variableRef(authorizer: string, name: string): string {
  return `{{${authorizer}.${name}}}`;
}

/** Deeper negative cases: on the group's representative (first) route at `standard`, on every route at `full`. */
export function wantsDeepCases(depth: Depth, indexInGroup: number): boolean {
  return depth === 'full' || (depth === 'standard' && indexInGroup === 0);
}

export interface CaseSpec {
  route: Route;
  /** Unique within the route: the key is `METHOD /path#id`. */
  id: string;
  /** `valid ID token`; the route, the prefix and the authorizer are added. */
  label: string;
  /** Default `allow` for cases expecting authorization, `deny` for rejections. */
  prefix?: string;
  authorizer?: Authorizer;
  group: AuthCase['group'];
  credential: Credential;
  polarity: CasePolarity;
  hint: string;
  skipUnlessVariable?: string;
}

/** A case expecting the request to get through. */
export function allowCase(ctx: DeriveContext, spec: CaseSpec): AuthCase {
  return buildCase(ctx, spec, { outcome: 'authorized' }, spec.hint, 'allow');
}

/** A case expecting a rejection; appends the CORS hint when the header is expected but no gateway response sets it. */
export function rejectCase(ctx: DeriveContext, spec: CaseSpec, alternatives: readonly Rejection[]): AuthCase {
  const { expect, corsMissingInGatewayResponses } = rejected(ctx.model, alternatives);
  const hint = corsMissingInGatewayResponses ? `${spec.hint} ${HINTS.corsDefault4xx}` : spec.hint;
  return buildCase(ctx, spec, expect, hint, 'deny');
}

/** The token-header authorizers' (TOKEN, Cognito) missing-credentials case: no header at all, 401 before any check. */
export function missingTokenHeaderCase(
  ctx: DeriveContext,
  base: Pick<CaseSpec, 'route' | 'authorizer' | 'group'>,
  header: string,
): AuthCase {
  return rejectCase(
    ctx,
    {
      ...base,
      id: 'missing-credentials',
      label: `missing ${header} header`,
      credential: { kind: 'none' },
      polarity: 'negative',
      hint: hint('tokenSourceHeader', 'redeploy'),
    },
    [REJECT.unauthorized],
  );
}

function buildCase(
  ctx: DeriveContext,
  spec: CaseSpec,
  expect: Expectation,
  hint: string,
  defaultPrefix: string,
): AuthCase {
  const request = concreteRequest(spec.route, ctx.config);
  const kind: AuthorizerKind | 'NONE' = spec.authorizer?.kind ?? 'NONE';
  const suffix = spec.authorizer ? ` (${spec.authorizer.name})` : '';
  return {
    key: `${routeId(spec.route)}#${spec.id}`,
    name: `[${spec.route.method}] ${spec.route.path} - ${spec.prefix ?? defaultPrefix}: ${spec.label}${suffix}`,
    ...(spec.authorizer ? { authorizer: spec.authorizer.name } : {}),
    kind,
    group: spec.group,
    route: spec.route,
    method: request.method,
    path: request.path,
    headers: request.headers,
    credential: spec.credential,
    expect,
    hint,
    polarity: spec.polarity,
    ...(spec.skipUnlessVariable === undefined ? {} : { skipUnlessVariable: spec.skipUnlessVariable }),
  };
}

/** The cases of one route in a group, split by role so the group can be put in run order. */
export interface RouteCases {
  positive: AuthCase;
  /** Missing credentials, then (when deep) the deeper negatives. */
  negatives: AuthCase[];
}

/**
 * Run order of one folder: every positive first (the first one warms the authorizer cache, and `afterFirst`,
 * the cache-bleed check, follows it directly), then each route's negatives in route order.
 */
export function orderGroup(perRoute: RouteCases[], afterFirst: AuthCase[] = []): AuthCase[] {
  const positives = perRoute.map((cases) => cases.positive);
  return [
    ...positives.slice(0, 1),
    ...afterFirst,
    ...positives.slice(1),
    ...perRoute.flatMap((cases) => cases.negatives),
  ];
}
