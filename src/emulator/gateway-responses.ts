/**
 * Gateway responses: the AWS defaults for the errors the front door produces, and the model's customizations
 * (status, headers, templates) applied on top with the DEFAULT_4XX / DEFAULT_5XX fallbacks.
 */

import { AWS_RESPONSE_TEXTS, type AwsResponseId, type AwsResponseText } from '../aws-responses.js';
import type { GatewayResponse, GatewayResponseType } from '../model/types.js';
import type { GatewayError } from './types.js';

const DEFAULT_STATUS: Partial<Record<GatewayResponseType, number>> = {
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  EXPIRED_TOKEN: 403,
  INVALID_SIGNATURE: 403,
  INVALID_API_KEY: 403,
  WAF_FILTERED: 403,
  AUTHORIZER_FAILURE: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  RESOURCE_NOT_FOUND: 404,
  REQUEST_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  THROTTLED: 429,
  QUOTA_EXCEEDED: 429,
  API_CONFIGURATION_ERROR: 500,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  ACCESS_DENIED_BY_RESOURCE_POLICY: 403,
};

/** The template every default gateway response carries (APIREF-OLD `GetGatewayResponses` example). */
const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

/**
 * A gateway error with today's wording from the response-text table (`src/aws-responses.ts`): `serve` answers
 * with `current`, so a suite that accepts every variant passes here and against AWS. `errorType` fills in where
 * the table leaves the header open (no AWS source settles it).
 */
function fromTable(id: AwsResponseId, errorType?: string): GatewayError {
  const text: AwsResponseText = AWS_RESPONSE_TEXTS[id];
  return {
    type: text.type,
    message: text.current,
    errorType: text.errorType ?? errorType ?? 'UnknownException',
    messageKey: text.messageKey,
  };
}

/** The errors the front door raises; messages are the exact wire texts. */
export const gatewayErrors = {
  missingAuthenticationToken: (): GatewayError => fromTable('missingAuthenticationToken'),
  unauthorized: (): GatewayError => fromTable('unauthorized'),
  /** Cognito: an expired token (the EXPIRED_TOKEN type is for SigV4, not Cognito). */
  tokenExpired: (): GatewayError => fromTable('expiredToken'),
  /** Today's wording: `... with an explicit deny in an identity-based policy` (reference section 3). */
  explicitDeny: (): GatewayError => fromTable('explicitDeny'),
  /** Today's wording: `... because no identity-based policy allows the execute-api:Invoke action`. */
  implicitDeny: (): GatewayError => fromTable('implicitDeny'),
  /**
   * REST JWT authorizer, a valid token without the method's scopes: 403 through ACCESS_DENIED (RJWT `-methods`
   * documents the 403; the body and error type are not stored, reference open question 1).
   */
  jwtScopeForbidden: (): GatewayError => ({
    type: 'ACCESS_DENIED',
    message: 'Forbidden',
    errorType: 'AccessDeniedException',
    messageKey: 'message',
  }),
  /** A method with `apiKeyRequired` and no valid key (missing, unknown, or no `usageIdentifierKey`). */
  invalidApiKey: (): GatewayError => fromTable('invalidApiKey'),
  /**
   * A Lambda authorizer that failed, timed out or answered something malformed. Which type AWS uses
   * (AUTHORIZER_CONFIGURATION_ERROR or AUTHORIZER_FAILURE) is unsettled; the error type header points here.
   */
  authorizerConfiguration: (): GatewayError => fromTable('authorizerConfiguration'),
  /**
   * An Authorization header that is not SigV4, on an IAM method or on a route that does not exist. AWS quotes the
   * header in the message, so the table has no fixed wording (the gateway response type is unsettled too).
   */
  incompleteSignature: (message: string): GatewayError => ({
    ...fromTable('incompleteSignature'),
    message,
  }),
  /** Unknown access key or session token (KC-403 lists AccessDeniedException for it). */
  invalidSecurityToken: (): GatewayError => fromTable('invalidSecurityToken'),
  signatureMismatch: (): GatewayError => fromTable('signatureMismatch', 'InvalidSignatureException'),
  signatureExpired: (message: string): GatewayError => ({ ...fromTable('signatureExpired'), message }),
  requestTooLarge: (): GatewayError => ({
    type: 'REQUEST_TOO_LARGE',
    message: 'Request Too Long',
    errorType: 'RequestTooLargeException',
    messageKey: 'message',
  }),
} as const;

/** What header references and templates may read from the request. */
export interface ResponseContext {
  /** Lower-cased header names. */
  headers: Record<string, string>;
  query: Record<string, string>;
  pathParameters: Record<string, string>;
  stageVariables: Record<string, string>;
  requestId: string;
}

export interface RenderedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

function resolveReference(reference: string, ctx: ResponseContext): string | undefined {
  const lookups: [RegExp, (name: string) => string | undefined][] = [
    [/^method\.request\.header\.(.+)$/, (n) => ctx.headers[n.toLowerCase()]],
    [/^method\.request\.querystring\.(.+)$/, (n) => ctx.query[n]],
    [/^method\.request\.path\.(.+)$/, (n) => ctx.pathParameters[n]],
    [/^stageVariables\.(.+)$/, (n) => ctx.stageVariables[n]],
    [/^context\.requestId$/, () => ctx.requestId],
  ];
  for (const [pattern, lookup] of lookups) {
    const m = pattern.exec(reference);
    if (m) return lookup(m[1] ?? '');
  }
  return undefined;
}

/**
 * Simple variable substitution (API Gateway does not run full VTL for gateway responses). Unknown references stay
 * as written, as Velocity renders them.
 */
export function renderTemplate(template: string, error: GatewayError, ctx: ResponseContext): string {
  return template.replace(
    /\$!?\{?(context|stageVariables)((?:\.[A-Za-z0-9_]+)+)\}?/g,
    (whole, root, rest) => {
      const key = `${root}${rest}`;
      const values: Record<string, string> = {
        'context.error.messageString': JSON.stringify(error.message),
        'context.error.message': error.message ?? '',
        'context.error.responseType': error.type,
        'context.requestId': ctx.requestId,
      };
      if (key in values) return values[key] as string;
      if (root === 'stageVariables') {
        const value = ctx.stageVariables[(rest as string).slice(1)];
        if (value !== undefined) return value;
      }
      return whole as string;
    },
  );
}

/**
 * Shape a gateway error into the response the client sees.
 *
 * Status: the type's customized status, else the DEFAULT_4XX/DEFAULT_5XX status when set, else the AWS default.
 * Headers: a customized type uses its own headers only; otherwise DEFAULT_4XX/5XX headers apply. Templates: the
 * type's own, else the fallback's, else AWS's default body. A template equal to AWS's default template gives the
 * default wire body (so explicit denies keep `Message`, as the wire does; whether a customization changes the
 * casing is unsettled). `x-amzn-ErrorType` always survives customization.
 */
export function renderGatewayResponse(
  error: GatewayError,
  customized: readonly GatewayResponse[],
  ctx: ResponseContext,
): RenderedResponse {
  const defaultStatus = DEFAULT_STATUS[error.type] ?? 500;
  const fallbackType = defaultStatus >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX';
  const own = customized.find((r) => r.type === error.type);
  const fallback = customized.find((r) => r.type === fallbackType);
  const status = own?.statusCode ?? fallback?.statusCode ?? defaultStatus;

  const headers: Record<string, string> = {};
  for (const header of (own ?? fallback)?.headers ?? []) {
    const value = header.value ?? (header.reference ? resolveReference(header.reference, ctx) : undefined);
    if (value !== undefined) headers[header.name] = value;
  }

  const templates =
    own && Object.keys(own.templates).length > 0
      ? own.templates
      : (fallback?.templates ?? ({} as Record<string, string>));
  const contentType = 'application/json' in templates ? 'application/json' : Object.keys(templates).sort()[0];
  const template = contentType === undefined ? undefined : templates[contentType];
  let body: string;
  if (template === undefined || template.replace(/\s+/g, '') === DEFAULT_TEMPLATE) {
    body = JSON.stringify({ [error.messageKey]: error.message });
  } else {
    body = renderTemplate(template, error, ctx);
  }
  headers['Content-Type'] =
    template === undefined || contentType === undefined ? 'application/json' : contentType;
  headers['x-amzn-ErrorType'] = error.errorType;
  return { status, headers, body };
}
