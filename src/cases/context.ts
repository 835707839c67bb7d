/**
 * What every deriver needs: the model, the fully defaulted config, and small helpers that build cases the same
 * way everywhere (keys, names, concrete requests, CORS-aware rejections, depth rules, run order).
 */

import { defaultAuthorizerSettings } from '../config/types.js';
import type { AuthorizerSettings, Depth, ProjectConfig } from '../config/types.js';
import { apiKindOf } from '../model/types.js';
import type { AuthModel, Authorizer, Route } from '../model/types.js';
import { REJECT, rejected, withOverride } from './expectations.js';
import type { Rejection } from './expectations.js';
import { HINTS, hint } from './hints.js';
import { API_KEY_HEADER, concreteRequest, routeId } from './route-request.js';
import type { ConcreteRequest } from './route-request.js';
import type { AuthCase, CasePolarity, Credential, Expectation, NameValue } from './types.js';

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
  /** Replaces the route's own headers (the API key cases withhold or break `x-api-key`). */
  routeHeaders?: NameValue[];
}

/** Where the API's keys come from; absent in the model means HEADER. */
export function apiKeySourceOf(ctx: DeriveContext): 'HEADER' | 'AUTHORIZER' {
  return ctx.model.api.apiKeySource ?? 'HEADER';
}

/** A case expecting the request to get through. */
export function allowCase(ctx: DeriveContext, spec: CaseSpec): AuthCase {
  return buildCase(ctx, spec, { outcome: 'authorized' }, spec.hint, 'allow');
}

/**
 * A case expecting a rejection, with the config's `expectations:` overrides applied. It asserts authorization
 * only: the CORS header of error answers has its own cases (see cors-cases.ts).
 */
export function rejectCase(
  ctx: DeriveContext,
  spec: CaseSpec,
  alternatives: readonly Rejection[],
  wwwAuthenticate?: WwwAuthenticate,
): AuthCase {
  const { expect, responseTypes } = rejection(ctx, alternatives, wwwAuthenticate);
  const built = buildCase(ctx, spec, expect, spec.hint, 'deny');
  // Added in place rather than spread into a copy: the same key order, one object less per case.
  built.responseTypes = responseTypes;
  return built;
}

interface RejectionOutcome {
  expect: Expectation;
  responseTypes: AuthCase['responseTypes'];
}

/** A number per distinct Rejection object (the REJECT entries, mostly): the cache key of a list of them. */
const rejectionIds = new WeakMap<Rejection, number>();
let nextRejectionId = 0;
/** Per context, the expectation of each list of alternatives: its cases share one (never mutated) object. */
const rejections = new WeakMap<DeriveContext, Map<string, RejectionOutcome>>();

/** What an HTTP API JWT rejection's `www-authenticate` header must carry (see `Expectation`). */
export type WwwAuthenticate = NonNullable<Extract<Expectation, { outcome: 'rejected' }>['wwwAuthenticate']>;

/** The JSON of each `www-authenticate` expectation object, made once per object (the derivers share them). */
const wwwAuthenticateKeys = new WeakMap<WwwAuthenticate, string>();

function wwwAuthenticateKey(wwwAuthenticate: WwwAuthenticate): string {
  let key = wwwAuthenticateKeys.get(wwwAuthenticate);
  if (key === undefined) {
    key = JSON.stringify(wwwAuthenticate);
    wwwAuthenticateKeys.set(wwwAuthenticate, key);
  }
  return key;
}

function rejection(
  ctx: DeriveContext,
  alternatives: readonly Rejection[],
  wwwAuthenticate: WwwAuthenticate | undefined,
): RejectionOutcome {
  let byList = rejections.get(ctx);
  if (!byList) {
    byList = new Map();
    rejections.set(ctx, byList);
  }
  let ids = '';
  for (let index = 0; index < alternatives.length; index += 1) {
    const alternative = alternatives[index] as Rejection;
    let id = rejectionIds.get(alternative);
    if (id === undefined) {
      id = nextRejectionId++;
      rejectionIds.set(alternative, id);
    }
    ids = index === 0 ? `${id}` : `${ids},${id}`;
  }
  const key = wwwAuthenticate === undefined ? ids : `${ids}|${wwwAuthenticateKey(wwwAuthenticate)}`;
  let outcome = byList.get(key);
  if (!outcome) {
    const effective = alternatives.map((alternative) => withOverride(alternative, ctx.config.expectations));
    const expect = rejected(ctx.model, effective);
    outcome = {
      expect: wwwAuthenticate === undefined ? expect : { ...expect, wwwAuthenticate },
      responseTypes: [...new Set(effective.map((alternative) => alternative.type))],
    };
    byList.set(key, outcome);
  }
  return outcome;
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

/** Each route's concrete request, made once per route and context: a route has several cases. */
const requests = new WeakMap<DeriveContext, WeakMap<Route, ConcreteRequest>>();

function routeRequest(ctx: DeriveContext, route: Route): ConcreteRequest {
  let byRoute = requests.get(ctx);
  if (!byRoute) {
    byRoute = new WeakMap();
    requests.set(ctx, byRoute);
  }
  let request = byRoute.get(route);
  if (!request) {
    request = concreteRequest(route, ctx.config, apiKeySourceOf(ctx));
    byRoute.set(route, request);
  }
  return request;
}

function buildCase(
  ctx: DeriveContext,
  spec: CaseSpec,
  expect: Expectation,
  hint: string,
  defaultPrefix: string,
): AuthCase {
  const request = routeRequest(ctx, spec.route);
  // A header both the route (API key) and the credential (an identity source) name is sent once, by the credential.
  const routeHeaders = spec.routeHeaders ?? request.headers;
  let headers: NameValue[] = [];
  if (routeHeaders.length > 0) {
    const own = new Set(credentialHeaderNames(spec.credential));
    headers = routeHeaders.filter((h) => !own.has(h.name.toLowerCase()));
  }
  const route = spec.route;
  const authorizer = spec.authorizer;
  // The key comes from the authorizer: say so wherever the case is shown, since the request carries none.
  const keyNote =
    route.apiKeyRequired && apiKeySourceOf(ctx) === 'AUTHORIZER' ? ` ${HINTS.apiKeyFromAuthorizer}` : '';
  // Built property by property rather than with conditional spreads (cheaper per case); the key order is the
  // one the cases have always had: key, name, authorizer?, kind, ..., polarity, skipUnlessVariable?.
  const built: AuthCase = {
    key: `${routeId(route)}#${spec.id}`,
    name: `[${route.method}] ${route.path} - ${spec.prefix ?? defaultPrefix}: ${spec.label}${
      authorizer ? ` (${authorizer.name})` : ''
    }`,
  } as AuthCase;
  if (authorizer) built.authorizer = authorizer.name;
  built.kind = authorizer?.kind ?? 'NONE';
  built.group = spec.group;
  built.route = route;
  built.method = request.method;
  built.path = request.path;
  built.headers = headers;
  built.credential = spec.credential;
  built.expect = expect;
  built.hint = keyNote === '' ? hint : `${hint}${keyNote}`;
  built.polarity = spec.polarity;
  if (spec.skipUnlessVariable !== undefined) built.skipUnlessVariable = spec.skipUnlessVariable;
  return built;
}

function credentialHeaderNames(credential: Credential): string[] {
  switch (credential.kind) {
    case 'raw':
      return credential.headers.map((h) => h.name.toLowerCase());
    case 'cognito-token':
    case 'forged-token':
      return [credential.header.toLowerCase()];
    case 'none':
    case 'sigv4':
      return [];
  }
}

/**
 * The API key cases of a route that requires a key from the `x-api-key` header: the route's valid credentials
 * (so only the key is wrong, whichever of the authorizer and the key API Gateway checks first) without the key,
 * and (deep) with a wrong key. Both get 403 `{"message":"Forbidden"}` + ForbiddenException (INVALID_API_KEY).
 * None when the key comes from the authorizer, or when the authorizer's identity sources already carry
 * `x-api-key` (its missing-source cases withhold it).
 */
export function apiKeyCases(
  ctx: DeriveContext,
  base: Pick<CaseSpec, 'route' | 'authorizer' | 'group'>,
  credential: Credential,
  deep: boolean,
): AuthCase[] {
  // HTTP APIs have no API keys (usage plans are REST only).
  if (!base.route.apiKeyRequired || apiKeySourceOf(ctx) !== 'HEADER' || apiKindOf(ctx.model) === 'HTTP') {
    return [];
  }
  if (credentialHeaderNames(credential).includes(API_KEY_HEADER)) return [];
  const spec = (id: string, label: string, routeHeaders: NameValue[]): CaseSpec => ({
    ...base,
    id,
    label,
    prefix: 'apikey',
    credential,
    polarity: 'negative',
    hint: hint('apiKey'),
    routeHeaders,
  });
  const cases = [
    rejectCase(ctx, spec('api-key-missing', 'valid credentials, no x-api-key', []), [REJECT.invalidApiKey]),
  ];
  if (deep) {
    cases.push(
      rejectCase(
        ctx,
        spec('api-key-wrong', 'valid credentials, wrong x-api-key', [
          { name: API_KEY_HEADER, value: WRONG_API_KEY },
        ]),
        [REJECT.invalidApiKey],
      ),
    );
  }
  return cases;
}

/**
 * Whether the wrong-key case runs for `route`: on the group's first key-requiring route at `standard`, on every
 * one at `full`.
 */
export function wantsDeepKeyCases(depth: Depth, routes: Route[], route: Route): boolean {
  if (depth === 'full') return true;
  // Every route of a group asks: look for the first key route only when this one needs a key, or the question
  // costs a scan of the whole group per route (quadratic in a large API without keys).
  return depth === 'standard' && route.apiKeyRequired && routes.find((r) => r.apiKeyRequired) === route;
}

/** The value of the wrong-key case: no usage plan has it. */
export const WRONG_API_KEY = 'apigw-authz-wrong-api-key';

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
