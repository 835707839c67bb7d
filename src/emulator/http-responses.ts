/**
 * The fixed answers of an HTTP API (v2). HTTP APIs have no gateway responses to customize and send no
 * `x-amzn-ErrorType`; a JWT authorizer adds `www-authenticate` (reference section B.3).
 */

import type { RenderedResponse } from './gateway-responses.js';
import type { GatewayError } from './types.js';

const STATUS: Partial<Record<GatewayError['type'], number>> = {
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  RESOURCE_NOT_FOUND: 404,
  REQUEST_TOO_LARGE: 413,
};

function httpError(type: GatewayError['type'], message: string, wwwAuthenticate?: string): GatewayError {
  return {
    type,
    message,
    // HTTP APIs send no x-amzn-ErrorType; the field stays empty and is never rendered.
    errorType: '',
    messageKey: 'message',
    ...(wwwAuthenticate === undefined ? {} : { headers: { 'www-authenticate': wwwAuthenticate } }),
  };
}

/** The errors an HTTP API answers with; messages are the wire texts. */
export const httpErrors = {
  /** 401 `{"message":"Unauthorized"}` (JWT: with `www-authenticate`). */
  unauthorized: (wwwAuthenticate?: string): GatewayError =>
    httpError('UNAUTHORIZED', 'Unauthorized', wwwAuthenticate),
  /** 403 `{"message":"Forbidden"}`: a Lambda or IAM deny, a JWT without the route's scopes. */
  forbidden: (wwwAuthenticate?: string): GatewayError =>
    httpError('ACCESS_DENIED', 'Forbidden', wwwAuthenticate),
  /** 404 `{"message":"Not Found"}`: no route and no `$default` route, or a path outside the stage. */
  notFound: (): GatewayError => httpError('RESOURCE_NOT_FOUND', 'Not Found'),
  /** 500 `{"message":"Internal Server Error"}`: a Lambda authorizer that fails, or answers in a bad format. */
  internal: (): GatewayError => httpError('AUTHORIZER_FAILURE', 'Internal Server Error'),
  requestTooLarge: (): GatewayError => httpError('REQUEST_TOO_LARGE', 'Request Entity Too Large'),
} as const;

/** `www-authenticate` of a JWT authorizer's refusal: `Bearer scope="a b" error="..." error_description="..."`. */
export function bearerChallenge(scopes: readonly string[], error: string, description: string): string {
  return `Bearer scope="${scopes.join(' ')}" error="${error}" error_description="${description}"`;
}

/**
 * The HTTP API answer for an error: its fixed status, `{"message": ...}`, and the error's own headers; never an
 * `x-amzn-ErrorType`. Any other type is a 500.
 */
export function renderHttpError(error: GatewayError): RenderedResponse {
  return {
    status: STATUS[error.type] ?? 500,
    headers: { 'Content-Type': 'application/json', ...(error.headers ?? {}) },
    body: JSON.stringify({ message: error.message }),
  };
}
