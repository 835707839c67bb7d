/**
 * Expected rejections, adjusted for the API's customized gateway responses and CORS.
 *
 * A rejection is described by the AWS default (gateway response type, status, message, error type); the
 * customized response that applies may change the status, replace the body (then the message is not checked),
 * and carries the CORS header a browser needs on 401/403.
 */

import type { AuthModel, GatewayResponse, GatewayResponseType } from '../model/types.js';
import type { Expectation, NameValue } from './types.js';

/** The body template of every default gateway response. */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';
const CORS_HEADER = 'Access-Control-Allow-Origin';

export const MESSAGES = {
  unauthorized: 'Unauthorized',
  expired: 'The incoming token has expired',
  notAuthorized: 'User is not authorized to access this resource',
  explicitDeny: 'User is not authorized to access this resource with an explicit deny',
  missingToken: 'Missing Authentication Token',
  signatureMismatch: 'The request signature we calculated does not match the signature you provided',
} as const;

/** One way AWS may reject the request, with AWS's defaults. */
export interface Rejection {
  type: GatewayResponseType;
  status: number;
  message?: string;
  messagePrefix?: string;
  errorType?: string;
}

export const REJECT = {
  unauthorized: {
    type: 'UNAUTHORIZED',
    status: 401,
    message: MESSAGES.unauthorized,
    errorType: 'UnauthorizedException',
  },
  expired: {
    type: 'UNAUTHORIZED',
    status: 401,
    message: MESSAGES.expired,
    errorType: 'UnauthorizedException',
  },
  /** A Lambda authorizer's Allow that does not match, or a Deny where the exact message is not certain. */
  notAuthorized: { type: 'ACCESS_DENIED', status: 403, message: MESSAGES.notAuthorized },
  explicitDeny: {
    type: 'ACCESS_DENIED',
    status: 403,
    message: MESSAGES.explicitDeny,
    errorType: 'AccessDeniedException',
  },
  missingToken: {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    status: 403,
    message: MESSAGES.missingToken,
    errorType: 'MissingAuthenticationTokenException',
  },
  // x-amzn-ErrorType of a signature mismatch is not in any stored AWS source (reference open question 15)
  signatureMismatch: { type: 'INVALID_SIGNATURE', status: 403, messagePrefix: MESSAGES.signatureMismatch },
} as const satisfies Record<string, Rejection>;

export interface RejectedExpectation {
  expect: Extract<Expectation, { outcome: 'rejected' }>;
  /**
   * True when the CORS header is expected only because the API answers CORS on its methods and no gateway
   * response sets it: the case fails against the API until DEFAULT_4XX gets the header.
   */
  corsMissingInGatewayResponses: boolean;
}

function normalizeTemplate(template: string): string {
  return template.replace(/\s+/g, '');
}

function responseFor(model: AuthModel, type: GatewayResponseType): GatewayResponse | undefined {
  return model.gatewayResponses.find((response) => response.type === type);
}

/** The customized response whose headers and body apply: the type's own, else DEFAULT_4XX. */
function applicableResponse(model: AuthModel, type: GatewayResponseType): GatewayResponse | undefined {
  return responseFor(model, type) ?? responseFor(model, 'DEFAULT_4XX');
}

function statusesFor(model: AuthModel, rejection: Rejection): number[] {
  const own = responseFor(model, rejection.type)?.statusCode;
  if (own !== undefined) return [own];
  const fallback = responseFor(model, 'DEFAULT_4XX')?.statusCode;
  if (fallback === undefined) return [rejection.status];
  // AWS: DEFAULT_4XX's status changes "all other 4XX responses", yet its table gives UNAUTHORIZED no fallback
  // sentence; accept both rather than guess.
  return rejection.type === 'UNAUTHORIZED' ? [rejection.status, fallback] : [fallback];
}

function bodyIsDefault(model: AuthModel, type: GatewayResponseType): boolean {
  const response = applicableResponse(model, type);
  if (!response) return true;
  const template = response.templates['application/json'];
  return template !== undefined && normalizeTemplate(template) === normalizeTemplate(DEFAULT_TEMPLATE);
}

type CorsValue = { kind: 'value'; value: string; fromModel: boolean } | { kind: 'unknown' };

function corsValueFor(model: AuthModel, type: GatewayResponseType, allowOrigin: string): CorsValue {
  const header = applicableResponse(model, type)?.headers.find(
    (candidate) => candidate.name.toLowerCase() === CORS_HEADER.toLowerCase(),
  );
  if (!header) return { kind: 'value', value: allowOrigin, fromModel: true };
  // a `method.request.*` reference depends on the request: nothing certain to assert
  return header.value === undefined
    ? { kind: 'unknown' }
    : { kind: 'value', value: header.value, fromModel: false };
}

function corsHeaders(
  model: AuthModel,
  alternatives: readonly Rejection[],
  statuses: number[],
): { headers: NameValue[]; fromModel: boolean } {
  if (!model.cors || !statuses.every((status) => status >= 400 && status < 500)) {
    return { headers: [], fromModel: false };
  }
  const allowOrigin = model.cors.allowOrigin;
  const values = alternatives.map((alternative) => corsValueFor(model, alternative.type, allowOrigin));
  const first = values[0];
  if (!first || first.kind === 'unknown') return { headers: [], fromModel: false };
  // alternatives answered by different gateway responses may disagree; one header list cannot say "either"
  if (!values.every((value) => value.kind === 'value' && value.value === first.value)) {
    return { headers: [], fromModel: false };
  }
  return {
    headers: [{ name: CORS_HEADER, value: first.value }],
    fromModel: values.some((value) => value.kind === 'value' && value.fromModel),
  };
}

/**
 * The expectation for a request AWS rejects in one of `alternatives` ways (several where the reference leaves
 * the outcome open), adjusted for the API's gateway responses and CORS.
 *
 * @param alternatives at least one; statuses and messages are the union, the error type only when all agree
 */
export function rejected(model: AuthModel, alternatives: readonly Rejection[]): RejectedExpectation {
  const statuses = [...new Set(alternatives.flatMap((alternative) => statusesFor(model, alternative)))];
  const bodiesChecked = alternatives.every((alternative) => bodyIsDefault(model, alternative.type));
  const messages = bodiesChecked
    ? [...new Set(alternatives.flatMap((alternative) => (alternative.message ? [alternative.message] : [])))]
    : [];
  const prefixes = [...new Set(alternatives.map((alternative) => alternative.messagePrefix))];
  const prefix = bodiesChecked && prefixes.length === 1 ? prefixes[0] : undefined;
  const errorTypes = [...new Set(alternatives.map((alternative) => alternative.errorType))];
  const errorType = errorTypes.length === 1 ? errorTypes[0] : undefined;
  const cors = corsHeaders(model, alternatives, statuses);
  return {
    expect: {
      outcome: 'rejected',
      statuses,
      messages,
      ...(prefix === undefined ? {} : { messagePrefix: prefix }),
      ...(errorType === undefined ? {} : { errorType }),
      headers: cors.headers,
    },
    corsMissingInGatewayResponses: cors.fromModel,
  };
}
