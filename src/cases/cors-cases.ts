/**
 * CORS on errors, as cases of their own: API Gateway answers authorizer failures from gateway responses, before
 * the method runs, so `Access-Control-Allow-Origin` on a 401/403 must come from DEFAULT_4XX or the customized
 * type. One case per gateway response type the suite's rejections go through, each a copy of the first
 * rejection of that type (same request, plus an `Origin` header) that asserts only a 4XX answer and the header.
 * So one missing DEFAULT_4XX header fails these few cases, never the authorization cases, and a changed
 * rejection (401 instead of 403) fails only its authorization case.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html
 */

import { DEFAULT_ROUTE_PATH, apiKindOf } from '../model/types.js';
import type { AuthModel, Authorizer, GatewayResponseType, Route } from '../model/types.js';
import { allowCase, rejectCase } from './context.js';
import type { CaseSpec, DeriveContext, WwwAuthenticate } from './context.js';
import { CORS_HEADER, REJECT, corsExpectation } from './expectations.js';
import type { Rejection } from './expectations.js';
import { HINTS, hint } from './hints.js';
import { compareRoutes, concreteRequest } from './route-request.js';
import type { RouteIndex } from './routing-fallback.js';
import type { AuthCase, Credential } from './types.js';

export const CORS_GROUP = 'CORS on errors';
/** The `Origin` the CORS cases send: a browser always sends one on a cross-origin call. */
export const CORS_ORIGIN = 'https://app.apigw-authz.example';

/** Run order of the CORS cases: the authorizer answers first, then the rest, as the gateway response table. */
export const CORS_RESPONSE_TYPES: readonly GatewayResponseType[] = [
  'UNAUTHORIZED',
  'ACCESS_DENIED',
  'MISSING_AUTHENTICATION_TOKEN',
  'INVALID_API_KEY',
  'INVALID_SIGNATURE',
  'EXPIRED_TOKEN',
];

/** A rejection whose request a CORS case can repeat: one certain response type, no run-time token forging. */
function repeatable(testCase: AuthCase, type: GatewayResponseType): boolean {
  const kind = testCase.credential.kind;
  return (
    testCase.expect.outcome === 'rejected' &&
    testCase.skipUnlessVariable === undefined &&
    (kind === 'none' || kind === 'raw' || kind === 'sigv4') &&
    testCase.responseTypes?.length === 1 &&
    testCase.responseTypes[0] === type
  );
}

/** The CORS cases of a plan's cases, in `CORS_RESPONSE_TYPES` order; none when the API answers no CORS. */
export function deriveCorsCases(model: AuthModel, cases: readonly AuthCase[]): AuthCase[] {
  // HTTP APIs have no gateway responses: their CORS cases are the preflight cases below.
  if (!model.cors || apiKindOf(model) === 'HTTP') return [];
  const out: AuthCase[] = [];
  for (const type of CORS_RESPONSE_TYPES) {
    const source = cases.find((testCase) => repeatable(testCase, type));
    if (source === undefined || source.expect.outcome !== 'rejected') continue;
    const statuses = source.expect.statuses;
    const expected = statuses.map((status) => corsExpectation(model, type, status));
    const first = expected[0];
    if (first === undefined || first.kind === 'none' || expected.some((e) => e.kind === 'none')) continue;
    const value = first.kind === 'value' ? first.value : '';
    const routeKey = source.key.slice(0, source.key.lastIndexOf('#'));
    const { authorizer: _authorizer, ...rest } = source;
    out.push({
      ...rest,
      key: `${routeKey}#cors-${type.toLowerCase().replace(/_/g, '-')}`,
      name: `[${source.route.method}] ${source.route.path} - cors: ${type} answer carries ${CORS_HEADER}`,
      group: { title: CORS_GROUP },
      headers: [...source.headers, { name: 'Origin', value: CORS_ORIGIN }],
      expect: {
        outcome: 'rejected',
        statuses: [],
        messages: [],
        headers: [{ name: CORS_HEADER, value }],
      },
      hint:
        first.kind === 'value' && first.fromModel
          ? `${HINTS.corsDefault4xx} No gateway response of this API sets it yet.`
          : HINTS.corsDefault4xx,
      polarity: 'negative',
    });
  }
  return out;
}

export const PREFLIGHT_GROUP = 'CORS preflight';

/** What a preflight gets from a route's authorizer, which runs without credentials; undefined: not certain. */
function preflightRejection(authorizer: Authorizer): [Rejection, WwwAuthenticate | undefined] | undefined {
  switch (authorizer.kind) {
    case 'JWT':
      return [REJECT.httpUnauthorized, {}];
    case 'HTTP_LAMBDA':
      // With a header or query source the preflight lacks it (401, Lambda not invoked); otherwise the Lambda decides.
      return authorizer.identitySources.some((s) => s.location === 'header' || s.location === 'querystring')
        ? [REJECT.httpLambdaUnauthorized, undefined]
        : undefined;
    case 'AWS_IAM':
      return [REJECT.httpIamForbidden, undefined];
    case 'TOKEN':
    case 'REQUEST':
    case 'COGNITO_USER_POOLS':
      return undefined;
  }
}

function preflightCredential(origin: string, method: string): Credential {
  return {
    kind: 'raw',
    headers: [
      { name: 'Origin', value: origin },
      { name: 'Access-Control-Request-Method', value: method },
    ],
    query: [],
  };
}

/**
 * The CORS preflight cases of an HTTP API with a CORS configuration (reference §B.6): API Gateway answers a
 * preflight itself only when no route matches the `OPTIONS` request. So each `ANY`, `OPTIONS` or `$default` route
 * behind an authorizer that answers its own preflight gets a case expecting what the browser gets there, the
 * authorizer's rejection; and one protected route whose preflight no route matches gets a case expecting API
 * Gateway's CORS answer (`Access-Control-Allow-Origin`).
 *
 * @param routes sorted; `index` is the plan's HTTP route index
 */
export function deriveHttpPreflightCases(
  ctx: DeriveContext,
  routes: readonly Route[],
  index: RouteIndex,
): AuthCase[] {
  const cors = ctx.model.cors;
  if (!cors || apiKindOf(ctx.model) !== 'HTTP') return [];
  const origin = cors.allowOrigin === '*' ? CORS_ORIGIN : cors.allowOrigin;
  const group = { title: PREFLIGHT_GROUP };
  const out: AuthCase[] = [];
  let automatic: AuthCase | undefined;
  for (const route of [...routes].sort(compareRoutes)) {
    if (route.authorization.type !== 'AUTHORIZER') continue;
    const name = route.authorization.authorizer;
    const authorizer = ctx.model.authorizers.find((candidate) => candidate.name === name);
    if (!authorizer) continue;
    const request = concreteRequest(route, ctx.config);
    const answer = index.answer('OPTIONS', request.path);
    const catchAll =
      route.method === 'ANY' || route.method === 'OPTIONS' || route.path === DEFAULT_ROUTE_PATH;
    const spec = (id: string, label: string, polarity: CaseSpec['polarity'], text: string): CaseSpec => ({
      route,
      authorizer,
      group,
      id,
      prefix: 'cors',
      label,
      credential: preflightCredential(origin, request.method === 'OPTIONS' ? 'GET' : request.method),
      polarity,
      hint: text,
    });
    if (catchAll && answer === route) {
      const rejection = preflightRejection(authorizer);
      if (!rejection) continue;
      const built = rejectCase(
        ctx,
        spec(
          'cors-preflight',
          `preflight OPTIONS runs the authorizer (${route.method} ${route.path} matches it)`,
          'negative',
          hint('httpCorsPreflight'),
        ),
        [rejection[0]],
        rejection[1],
      );
      out.push({ ...built, method: 'OPTIONS' });
    } else if (!catchAll && answer === undefined && automatic === undefined) {
      const built = allowCase(
        ctx,
        spec(
          'cors-preflight',
          'preflight OPTIONS answered by API Gateway',
          'positive',
          hint('httpCorsAutomatic'),
        ),
      );
      automatic = {
        ...built,
        method: 'OPTIONS',
        expect: {
          outcome: 'authorized',
          headers: [{ name: CORS_HEADER, value: cors.allowOrigin === '*' ? '*' : origin }],
        },
      };
    }
  }
  if (automatic) out.push(automatic);
  return out;
}
