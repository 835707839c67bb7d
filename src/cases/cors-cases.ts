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

import type { AuthModel, GatewayResponseType } from '../model/types.js';
import { CORS_HEADER, corsExpectation } from './expectations.js';
import { HINTS } from './hints.js';
import type { AuthCase } from './types.js';

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
  if (!model.cors) return [];
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
