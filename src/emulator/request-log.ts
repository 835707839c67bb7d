/**
 * What `serve` says about each request: one log line (text or JSON) and the `x-apigw-authz-*` response headers.
 * Built from the decision alone, which never holds a credential: tokens are described, never echoed.
 */

import type { Decision } from './types.js';

export const LOG_FORMATS = ['text', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Headers `serve` adds to its answers (real API Gateway never sends them). */
export const REQUEST_ID_HEADER = 'x-apigw-authz-request-id';
export const INVOKED_HEADER = 'x-apigw-authz-authorizer-invoked';
export const REASON_HEADER = 'x-apigw-authz-reason';
export const CAUSE_HEADER = 'x-apigw-authz-cause';

/** `(Lambda not invoked)`, `(cached policy, Lambda not invoked)`, `(token not verified)`, or empty. */
export function invocationNote(decision: Decision): string {
  switch (decision.authorizerKind) {
    case 'TOKEN':
    case 'REQUEST':
    case 'HTTP_LAMBDA':
      if (decision.cached) return 'cached policy, Lambda not invoked';
      return decision.authorizerInvoked ? 'Lambda invoked' : 'Lambda not invoked';
    case 'COGNITO_USER_POOLS':
    case 'JWT':
      return decision.authorizerInvoked ? 'token checked' : 'token not checked';
    case 'AWS_IAM':
      return decision.authorizerInvoked ? 'signature checked' : 'signature not checked';
    default:
      return '';
  }
}

/** One line, printable ASCII only: what an HTTP header may carry. */
export function asciiLine(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
}

/** `401 TokenAuth: token ... does not match identityValidationExpression ^\w{5}$ (Lambda not invoked)` */
export function decisionSummary(decision: Decision): string {
  const who = decision.authorizer ?? (decision.route === null ? 'no route' : 'public');
  const note = invocationNote(decision);
  return `${decision.status} ${who}: ${decision.reason}${note === '' ? '' : ` (${note})`}`;
}

/**
 * One log line for a request: method, path, the route matched, then the decision summary and the request id.
 *
 * @param decision - what the core decided
 * @param format - `text` (default) or `json` (one JSON object per line)
 * @param nowMs - the time of the request, JSON only
 */
export function formatRequestLog(decision: Decision, format: LogFormat = 'text', nowMs?: number): string {
  if (format === 'json') {
    return `${JSON.stringify({
      ...(nowMs === undefined ? {} : { time: new Date(nowMs).toISOString() }),
      requestId: decision.requestId,
      method: decision.method,
      path: decision.path,
      route: decision.route,
      authorizer: decision.authorizer,
      authorizerKind: decision.authorizerKind,
      status: decision.status,
      allowed: decision.allowed,
      authorizerInvoked: decision.authorizerInvoked,
      cached: decision.cached,
      cause: decision.cause,
      reason: decision.reason,
      ...(decision.errorType === undefined ? {} : { errorType: decision.errorType }),
    })}\n`;
  }
  const route = decision.route === null ? 'no route' : decision.route;
  return `${decision.method} ${decision.path} [${route}] ${decisionSummary(decision)} id=${decision.requestId}\n`;
}

/**
 * The `x-apigw-authz-*` headers of one answer: the request id always; whether the authorizer ran, the cause and
 * the reason on routes with an authorizer or an API key.
 */
export function explainHeaders(decision: Decision): Record<string, string> {
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: decision.requestId };
  if (decision.authorizer !== null || decision.apiKeyRequired) {
    headers[INVOKED_HEADER] = String(decision.authorizerInvoked);
    headers[CAUSE_HEADER] = decision.cause;
    headers[REASON_HEADER] = asciiLine(decision.reason);
  }
  return headers;
}
