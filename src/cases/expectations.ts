/**
 * Expected rejections, from AWS's response-text table (src/aws-responses.ts) adjusted for the config's
 * `expectations:` overrides and the API's customized gateway responses; and the CORS header an error answer
 * must carry, which the dedicated CORS cases assert (authorization cases report only authorization).
 *
 * A rejection accepts every documented wording of its message exactly (never a bare prefix: an implicit deny
 * must not pass an explicit-deny case); a prefix only where AWS puts request details into the text (SigV4). A
 * customized response may change the status or replace the body (then the message is not checked).
 */

import { AWS_RESPONSE_TEXTS } from '../aws-responses.js';
import type { AwsResponseId } from '../aws-responses.js';
import type { ExpectationOverride } from '../config/types.js';
import type { AuthModel, GatewayResponse, GatewayResponseType } from '../model/types.js';
import type { Expectation } from './types.js';

/** The body template of every default gateway response. */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';
export const CORS_HEADER = 'Access-Control-Allow-Origin';

/** One way AWS may reject the request, with AWS's defaults. */
export interface Rejection {
  /** The response-text entry this comes from; the config's `expectations:` overrides it by this id. */
  id?: AwsResponseId;
  type: GatewayResponseType;
  status: number;
  /** Every accepted wording (`null`: `{"message":null}`); absent or empty: the message is not checked. */
  messages?: readonly (string | null)[];
  messagePrefix?: string;
  errorType?: string;
}

/** The rejection an AWS_RESPONSE_TEXTS entry describes. */
export function rejectionOf(id: AwsResponseId): Rejection {
  const text = AWS_RESPONSE_TEXTS[id];
  return {
    id,
    type: text.type,
    status: text.status,
    messages: text.variants,
    ...('prefix' in text ? { messagePrefix: text.prefix } : {}),
    ...('errorType' in text ? { errorType: text.errorType } : {}),
  };
}

export const REJECT = {
  unauthorized: rejectionOf('unauthorized'),
  expired: rejectionOf('expiredToken'),
  /** A Lambda authorizer's Allow that does not match the method ARN (or a cached policy reused elsewhere). */
  implicitDeny: rejectionOf('implicitDeny'),
  explicitDeny: rejectionOf('explicitDeny'),
  missingToken: rejectionOf('missingAuthenticationToken'),
  signatureMismatch: rejectionOf('signatureMismatch'),
  invalidApiKey: rejectionOf('invalidApiKey'),
  /** REST JWT authorizer: an invalid or missing token (reference open question: 401 Unauthorized assumed). */
  restJwtUnauthorized: rejectionOf('restJwtUnauthorized'),
  /** REST JWT authorizer: a valid token without the method's scopes (403, body not documented). */
  restJwtForbidden: rejectionOf('restJwtForbidden'),
  /** HTTP API JWT authorizer: a missing or invalid token. */
  httpUnauthorized: rejectionOf('httpUnauthorized'),
  /** HTTP API JWT authorizer: a valid token without any of the route's scopes. */
  httpForbidden: rejectionOf('httpForbidden'),
  /** HTTP API Lambda authorizer: an identity source missing (status only unless pinned). */
  httpLambdaUnauthorized: rejectionOf('httpLambdaUnauthorized'),
  /** HTTP API Lambda authorizer: `isAuthorized: false`, Deny or no matching Allow (status only unless pinned). */
  httpLambdaForbidden: rejectionOf('httpLambdaForbidden'),
  /** HTTP API AWS_IAM route: unsigned or wrongly signed (status only unless pinned). */
  httpIamForbidden: rejectionOf('httpIamForbidden'),
} as const satisfies Record<string, Rejection>;

/**
 * A rejection with the config's override of its entry applied: `messages` replace the accepted wordings (and
 * drop the prefix, so a pinned text is exact), `status` and `errorType` are pinned.
 */
export function withOverride(
  rejection: Rejection,
  overrides: Partial<Record<AwsResponseId, ExpectationOverride>> | undefined,
): Rejection {
  const override = rejection.id === undefined ? undefined : overrides?.[rejection.id];
  if (override === undefined) return rejection;
  const { messagePrefix, ...rest } = rejection;
  return {
    ...rest,
    ...(override.messages === undefined
      ? messagePrefix === undefined
        ? {}
        : { messagePrefix }
      : { messages: override.messages }),
    ...(override.status === undefined ? {} : { status: override.status }),
    ...(override.errorType === undefined ? {} : { errorType: override.errorType }),
  };
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

/**
 * The expectation for a request AWS rejects in one of `alternatives` ways (several where the reference leaves
 * the outcome open), adjusted for the API's gateway responses. Apply config overrides first (`withOverride`).
 *
 * @param alternatives at least one; statuses and messages are the union, the error type only when all agree
 */
export function rejected(
  model: AuthModel,
  alternatives: readonly Rejection[],
): Extract<Expectation, { outcome: 'rejected' }> {
  const statuses = [...new Set(alternatives.flatMap((alternative) => statusesFor(model, alternative)))];
  const checkable = alternatives.every(
    (alternative) =>
      bodyIsDefault(model, alternative.type) &&
      ((alternative.messages?.length ?? 0) > 0 || alternative.messagePrefix !== undefined),
  );
  const messages = checkable
    ? [...new Set(alternatives.flatMap((alternative) => alternative.messages ?? []))]
    : [];
  const prefixes = [...new Set(alternatives.map((alternative) => alternative.messagePrefix))];
  const prefix = checkable && prefixes.length === 1 ? prefixes[0] : undefined;
  const errorTypes = [...new Set(alternatives.map((alternative) => alternative.errorType))];
  const errorType = errorTypes.length === 1 ? errorTypes[0] : undefined;
  return {
    outcome: 'rejected',
    statuses,
    messages,
    ...(prefix === undefined ? {} : { messagePrefix: prefix }),
    ...(errorType === undefined ? {} : { errorType }),
    headers: [],
  };
}

/** What the CORS case of one gateway response type asserts. */
export type CorsExpectation =
  /** The header and its value; `fromModel`: no gateway response sets it, the API's own CORS origin is assumed. */
  | { kind: 'value'; value: string; fromModel: boolean }
  /** A `method.request.*` reference: the value depends on the request, so only its presence is certain. */
  | { kind: 'present' }
  /** The API answers no CORS, or the type's status is not a 4XX: nothing to assert. */
  | { kind: 'none' };

/**
 * The `Access-Control-Allow-Origin` an error answer of `type` must carry: the API answers CORS on its methods, so a
 * browser needs it on 401/403 too, from the type's customized gateway response or DEFAULT_4XX.
 */
export function corsExpectation(
  model: AuthModel,
  type: GatewayResponseType,
  status: number,
): CorsExpectation {
  if (!model.cors || status < 400 || status >= 500) return { kind: 'none' };
  const header = applicableResponse(model, type)?.headers.find(
    (candidate) => candidate.name.toLowerCase() === CORS_HEADER.toLowerCase(),
  );
  if (!header) return { kind: 'value', value: model.cors.allowOrigin, fromModel: true };
  return header.value === undefined
    ? { kind: 'present' }
    : { kind: 'value', value: header.value, fromModel: false };
}
